// A bargain: the launcher's progress (share it, buy it through the normal checkout) or what a
// friend sees when asked to help (help, then launch their own).
const api = require('../../utils/api')
const logic = require('./logic')
const { yuan } = require('../../utils/money')

Page({
  data: { bargain: null, status: 'loading', message: '' },

  onLoad(options) {
    this.bargainId = Number(options.id)
  },

  onShow() {
    return this.load()
  },

  onUnload() {
    clearInterval(this.ticker)
  },

  load() {
    return api.get(`/bargains/${this.bargainId}`, {}, { silent: true })
      .then((bargain) => this.show(bargain))
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  show(bargain) {
    this.secondsLeft = bargain.seconds_left
    this.setData({ bargain: logic.bargainCard(bargain), status: '' })
    clearInterval(this.ticker)
    if (bargain.seconds_left > 0) {
      this.ticker = setInterval(() => {
        this.secondsLeft -= 1
        if (this.secondsLeft <= 0) {
          clearInterval(this.ticker)
          this.load()
          return
        }
        this.setData({ 'bargain.countdownText': logic.countdown(this.secondsLeft) })
      }, 1000)
    }
  },

  onMain() {
    const bargain = this.data.bargain
    const action = bargain && bargain.button.action
    if (action === 'help') return this.help()
    if (action === 'buy') {
      // the normal checkout, as an activity order of this bargain
      wx.navigateTo({ url: `/pages/checkout/index?sku_id=${bargain.sku_id}&quantity=1`
        + `&activity_kind=bargain&activity_ref=${bargain.id}` })
    } else if (action === 'order') {
      wx.navigateTo({ url: `/pages/orders/detail?id=${bargain.order_id}` })
    } else if (action === 'launch') {
      wx.navigateTo({ url: '/packages/bargain/index' })
    }
    return Promise.resolve()
  },

  help() {
    if (this.helping) return Promise.resolve()
    this.helping = true
    return api.post(`/bargains/${this.bargainId}/help`)
      .then((answer) => {
        wx.showToast({ title: `砍掉了¥${yuan(answer.cut_fen)}`, icon: 'none' })
        this.show(answer.bargain)
      })
      .catch(() => this.load())
      .then(() => { this.helping = false })
  },

  onShareAppMessage() {
    const bargain = this.data.bargain || {}
    return { title: `帮我砍一刀，${bargain.title || ''}`, path: `/packages/bargain/detail?id=${this.bargainId}`,
      imageUrl: bargain.image_url }
  },

  onRetry() {
    return this.load()
  },
})
