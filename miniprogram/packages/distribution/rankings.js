// The agents' leaderboard this week or this month, by commission earned or by friends invited.
const api = require('../../utils/api')
const auth = require('../../utils/auth')
const { yuan } = require('../../utils/money')

const PERIODS = [{ key: 'week', label: '本周' }, { key: 'month', label: '本月' }]
const BOARDS = [{ key: 'commission', label: '佣金榜' }, { key: 'invites', label: '邀请榜' }]

function entry(row, by, myId) {
  const name = row.nickname || '微信用户'
  return {
    rank: row.rank,
    userId: row.user_id,
    name,
    initial: Array.from(name)[0],
    valueText: by === 'invites' ? `${row.value} 人` : `¥${yuan(row.value)}`,
    medal: row.rank <= 3 ? `medal--${row.rank}` : '',
    mine: myId !== undefined && row.user_id === myId,
  }
}

Page({
  data: { periods: PERIODS, boards: BOARDS, period: 'week', by: 'commission', status: 'loading', message: '', items: [] },

  onLoad() {
    this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  choosePeriod(event) {
    this.setData({ period: event.currentTarget.dataset.key })
    this.load()
  },

  chooseBoard(event) {
    this.setData({ by: event.currentTarget.dataset.key })
    this.load()
  },

  load() {
    const { period, by } = this.data
    const ticket = (this.ticket || 0) + 1
    this.ticket = ticket
    this.setData({ status: 'loading', items: [] })
    const me = auth.cachedUser()
    return api.get('/distribution/rankings', { period, by }, { silent: true })
      .then((answer) => {
        if (this.ticket !== ticket) return
        const items = (answer.items || []).map((row) => entry(row, by, me ? me.id : undefined))
        this.setData({ items, status: '' })
      })
      .catch((err) => {
        if (this.ticket === ticket) this.setData({ status: 'error', message: err.message })
      })
  },
})
