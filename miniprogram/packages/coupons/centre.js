// 领券中心: the shop's coupons to claim, with what the shopper already has.
const api = require('../../utils/api')
const logic = require('./logic')

Page({
  data: { coupons: [], status: 'loading', message: '' },

  onShow() {
    return this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    this.setData({ status: 'loading', message: '' })
    return api.get('/coupons/centre', {}, { silent: true })
      .then((answer) => this.setData({ coupons: answer.items.map(logic.centreCard), status: answer.items.length ? 'nomore' : '' }))
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  claim(event) {
    const id = event.currentTarget.dataset.id
    if (this.claiming) return Promise.resolve()
    this.claiming = true
    return api.post(`/coupons/centre/${id}/claim`)
      .then(() => wx.showToast({ title: '领取成功', icon: 'success' }))
      .catch(() => {})
      .then(() => { this.claiming = false })
      .then(() => this.load())
  },

  onRetry() {
    return this.load()
  },

  openMine() {
    wx.navigateTo({ url: '/packages/coupons/mine' })
  },
})
