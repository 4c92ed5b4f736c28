// 砍价: the bargain activities running now; launching one opens its progress page to share.
const api = require('../../utils/api')
const logic = require('./logic')

Page({
  data: { activities: [], status: 'loading', message: '' },

  onShow() {
    return this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    this.setData({ status: 'loading', message: '' })
    return api.get('/bargain-activities', {}, { silent: true })
      .then((answer) => this.setData({ activities: answer.items.map(logic.activityCard),
        status: answer.items.length ? 'nomore' : '' }))
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  launch(event) {
    const id = event.currentTarget.dataset.id
    if (this.launching) return Promise.resolve()
    this.launching = true
    return api.post(`/bargain-activities/${id}/launch`)
      .then((bargain) => wx.navigateTo({ url: `/packages/bargain/detail?id=${bargain.id}` }))
      .catch(() => {})
      .then(() => { this.launching = false })
  },

  onRetry() {
    return this.load()
  },
})
