// One order: status (and the time left to pay), address, parcels and their trace, items with
// after-sales, amounts in yuan, timeline, and the actions its status allows.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const status = require('./status')
const { payWithChoice } = require('./pay')

const PAY_METHODS = { wechat: '微信支付', balance: '余额支付', cod: '货到付款' }

function shape(order) {
  const view = status.decorate(order)
  view.items = (order.items || []).map((item) => Object.assign({}, item, {
    priceText: yuan(item.unit_price_fen),
    canAfterSale: status.canApplyAfterSale(order, item),
  }))
  view.amounts = [
    { label: '商品金额', text: `¥${yuan(order.items_total_fen)}` },
    { label: '运费', text: order.freight_fen ? `+¥${yuan(order.freight_fen)}` : '包邮' },
  ].concat((order.discounts || []).map((d) => ({ label: d.label || '优惠', text: `-¥${yuan(d.amount_fen)}` })))
  view.refundedText = order.refunded_fen ? yuan(order.refunded_fen) : ''
  view.payMethodText = PAY_METHODS[order.pay_method] || ''
  view.steps = status.timeline(order)
  return view
}

function parcelView(parcel) {
  const events = ((parcel.trace && parcel.trace.events) || []).slice().reverse()
    .map((event) => ({ text: event.text, time: status.shortTime(event.time) }))
  return {
    id: parcel.id,
    title: `${parcel.courier_name || parcel.courier_code} ${parcel.tracking_no}`,
    trackingNo: parcel.tracking_no,
    stateText: (parcel.trace && parcel.trace.state_label) || '',
    lines: (parcel.lines || []).map((line) => `${line.title} ×${line.quantity}`).join('，'),
    latest: events[0] || null,
    events,
  }
}

Page({
  data: {
    id: 0,
    status: 'loading',
    message: '',
    order: null,
    parcels: [],
    showTrace: false,
    countdownText: '',
  },

  onLoad(options) {
    this.setData({ id: Number(options.id), showTrace: options.tracking === '1' })
  },

  onShow() {
    this.load()
  },

  onHide() {
    this.stopCountdown()
  },

  onUnload() {
    this.stopCountdown()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    if (!this.data.order) this.setData({ status: 'loading' })
    return api.get(`/orders/${this.data.id}`, {}, { silent: true })
      .then((order) => {
        this.setData({ order: shape(order), status: '', message: '' })
        this.startCountdown(order.pay_seconds_left)
        if (order.shipped_at) return this.loadTracking()
        this.setData({ parcels: [] })
        return null
      })
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  loadTracking() {
    return api.get(`/orders/${this.data.id}/tracking`, {}, { silent: true })
      .then((answer) => this.setData({ parcels: (answer.parcels || []).map(parcelView) }))
      .catch(() => this.setData({ parcels: [] }))
  },

  startCountdown(seconds) {
    this.stopCountdown()
    if (!(seconds > 0)) {
      this.setData({ countdownText: '' })
      return
    }
    const deadline = Date.now() + seconds * 1000
    const tick = () => {
      const left = Math.round((deadline - Date.now()) / 1000)
      this.setData({ countdownText: status.countdown(left) })
      if (left <= 0) {
        this.stopCountdown()
        this.load()
      }
    }
    tick()
    this.timer = setInterval(tick, 1000)
  },

  stopCountdown() {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  },

  toggleTrace() {
    this.setData({ showTrace: !this.data.showTrace })
  },

  copyOrderNo() {
    wx.setClipboardData({ data: this.data.order.order_no })
  },

  copyTracking(event) {
    wx.setClipboardData({ data: event.currentTarget.dataset.no })
  },

  applyAfterSale(event) {
    const itemId = event.currentTarget.dataset.item
    wx.navigateTo({ url: `/packages/after-sales/apply?order_id=${this.data.id}&item_id=${itemId}` })
  },

  openProduct(event) {
    wx.navigateTo({ url: `/pages/product/index?id=${event.currentTarget.dataset.product}` })
  },

  onAction(event) {
    const action = event.currentTarget.dataset.action
    const order = this.data.order
    if (action === 'pay') return payWithChoice(order.id, order.pay_methods).catch(() => this.load())
    if (action === 'cancel') return this.cancel()
    if (action === 'receive') return this.receive()
    if (action === 'tracking') {
      if (!this.data.parcels.length) return wx.showToast({ title: '暂无物流信息', icon: 'none' })
      this.setData({ showTrace: true })
      return wx.pageScrollTo({ selector: '#tracking', duration: 200 })
    }
    if (action === 'afterSales') {
      const first = order.items.find((item) => item.canAfterSale)
      if (order.items.length === 1 && first) return this.applyAfterSale({ currentTarget: { dataset: { item: first.id } } })
      return wx.pageScrollTo({ selector: '#items', duration: 200 })
    }
    return null
  },

  confirm(title, content) {
    return new Promise((resolve) => {
      wx.showModal({ title, content, confirmColor: '#ee0a24', success: (res) => resolve(Boolean(res.confirm)) })
    })
  },

  cancel() {
    return this.confirm('取消订单', '确定取消这个订单吗？库存将释放。').then((ok) => {
      if (!ok) return null
      return api.post(`/orders/${this.data.id}/cancel`, { reason: '' })
        .then((order) => {
          wx.showToast({ title: '订单已取消', icon: 'success' })
          this.stopCountdown()
          this.setData({ order: shape(order), countdownText: '' })
        })
        .catch(() => this.load())
    })
  },

  receive() {
    return this.confirm('确认收货', '请确认已收到全部商品，确认后订单完成。').then((ok) => {
      if (!ok) return null
      return api.post(`/orders/${this.data.id}/receive`, {})
        .then(() => wx.showToast({ title: '已确认收货', icon: 'success' }))
        .then(() => this.load(), () => this.load())
    })
  },
})
