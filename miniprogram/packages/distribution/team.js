// My team by level: each member's nickname, when they joined, their paid orders and spend.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { TEAM_LEVELS } = require('./utils/labels')
const { beijingDate } = require('./utils/time')

function member(row) {
  const name = row.nickname || '微信用户'
  return Object.assign({}, row, {
    name,
    initial: Array.from(name)[0],
    joinedText: beijingDate(row.bound_at),
    spendText: yuan(row.spend_fen),
    orders: row.orders || 0,
  })
}

Page({
  data: { levels: TEAM_LEVELS, active: 0, counts: {}, list: initialList() },

  onLoad(options) {
    const level = Number((options && options.level) || 1)
    this.setData({ active: Math.max(0, TEAM_LEVELS.findIndex((tab) => tab.level === level)) })
    this.refresh()
    api.get('/distribution/me', {}, { silent: true })
      .then((me) => this.setData({ counts: { 1: me.team.level1, 2: me.team.level2 } }))
      .catch(() => {})
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: member })
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh()
  },

  fetcher() {
    const level = TEAM_LEVELS[this.data.active].level
    return (cursor, size) => api.get('/distribution/team', { level, cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: member })
  },

  onRetry() {
    return this.refresh()
  },
})
