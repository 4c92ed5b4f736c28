// Points detail: my balance, what expires when, and every change newest first with its reason.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { entryView, expiringLines } = require('./utils/points')

Page({
  data: { summary: null, expiring: [], list: initialList() },

  onLoad() {
    this.refresh()
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: entryView })
  },

  fetcher() {
    return (cursor, size) => api.get('/api/v1/points/entries', { cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    const summary = api.get('/api/v1/points', {}, { silent: true })
      .then((answer) => this.setData({ summary: answer, expiring: expiringLines(answer.expiring) }))
      .catch(() => {})
    return Promise.all([summary, loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: entryView })])
  },

  onRetry() {
    return this.refresh()
  },

  onSignIn() {
    wx.navigateTo({ url: '/packages/points/sign-in' })
  },
})
