// 拼团: the group buys running now; 去开团 starts a group through the normal checkout, a card
// opens the activity (the groups forming to join).
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
    return api.get('/group-activities', {}, { silent: true })
      .then((answer) => this.setData({ activities: answer.items.map(logic.activityCard),
        status: answer.items.length ? 'nomore' : '' }))
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  open(event) {
    wx.navigateTo({ url: `/packages/group/detail?activity_id=${event.currentTarget.dataset.id}` })
  },

  start(event) {
    const activity = this.data.activities.find((item) => item.id === Number(event.currentTarget.dataset.id))
    if (activity) wx.navigateTo({ url: logic.checkoutUrl(activity.sku_id, activity.start_ref) })
  },

  noop() {},

  onRetry() {
    return this.load()
  },
})
