// After wx.requestPayment: WeChat's notification may trail the shopper, so ask our server
// (pay-status, which also queries WeChat Pay once) until the order is paid.
const pay = require('../../utils/pay')

Page({
  data: { id: 0, state: 'checking', order: null },

  onLoad(options) {
    this.setData({ id: Number(options.id) })
    this.check()
  },

  check() {
    this.setData({ state: 'checking' })
    return pay.waitPaid(this.data.id)
      .then((order) => this.setData({ order, state: order.status === 'pending_payment' ? 'waiting' : 'paid' }))
      .catch(() => this.setData({ state: 'waiting' }))
  },

  onCheck() {
    this.check()
  },

  onOrder() {
    wx.redirectTo({ url: '/pages/orders/detail?id=' + this.data.id })
  },

  onHome() {
    wx.switchTab({ url: '/pages/home/index' })
  },
})
