// My member level: the level and growth, the way to the next level, what each level gives,
// and the way into the growth detail.
const api = require('../../utils/api')
const { levelView, ladderRow } = require('./utils/level')

Page({
  data: { view: null, levels: [], loadFailed: false },

  onShow() {
    this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    const mine = api.get('/api/v1/members/level', {}, { silent: true })
      .then((answer) => this.setData({ view: levelView(answer), loadFailed: false }))
      .catch(() => this.setData({ loadFailed: true }))
    const ladder = api.get('/api/v1/members/levels', {}, { silent: true })
      .then((answer) => this.setData({ levels: (answer.items || []).map(ladderRow) }))
      .catch(() => {})
    return Promise.all([mine, ladder])
  },

  onRetry() {
    return this.load()
  },

  onGrowth() {
    wx.navigateTo({ url: '/packages/member/growth' })
  },
})
