// Checkout: the address, what the order costs now (preview: goods, freight, discounts, payable),
// a remark and the pay method; placing it once per idempotency key, then paying it.
// Opened as ?from=cart (the selected cart lines) or ?sku_id=&quantity= (buy now), with
// &activity_kind=&activity_ref= for an activity order (a bargain bought at its price).
const api = require('../../utils/api')
const pay = require('../../utils/pay')
const { checkoutPoints } = require('../../packages/points/utils/points')

const METHOD_NAMES = { wechat: '微信支付', balance: '余额支付', cod: '货到付款' }

Page({
  data: {
    status: 'loading', preview: null, promotionHints: [], address: null, remark: '', method: 'wechat', methods: [],
    submitting: false, needPhone: false, balanceFen: 0, points: null, usePoints: false,
  },

  onLoad(options) {
    this.request = options.from === 'cart'
      ? { from_cart: true, lines: [] }
      : { from_cart: false, lines: [{ sku_id: Number(options.sku_id), quantity: Number(options.quantity || 1) }] }
    // an activity order (?activity_kind=bargain&activity_ref=42): the same checkout at the activity's price
    if (options.activity_kind) this.request.activity = { kind: options.activity_kind, ref: String(options.activity_ref) }
    this.idempotencyKey = pay.newIdempotencyKey('co')
    this.refresh()
    api.get('/api/v1/me', {}, { silent: true })
      .then((me) => this.setData({ needPhone: !me.has_phone, balanceFen: me.balance_fen || 0 }))
      .catch(() => {})
  },

  body() {
    const address = this.data.address
    // using points asks for as many as the shop allows; the server caps it (never refuses)
    const points = this.data.usePoints ? { points: (this.data.points && this.data.points.max) || 0 } : {}
    return Object.assign({}, this.request, address ? { address_id: address.id } : {}, points, this.couponChoice || {})
  },

  // The coupon: the server picks the best by default; the shopper may pick another usable one or none.
  onChooseCoupon() {
    const usable = ((this.data.preview && this.data.preview.coupons) || []).filter((c) => c.usable).slice(0, 5)
    if (!usable.length) return
    const names = usable.map((c) => `${c.title}（省¥${(c.saving_fen / 100).toFixed(2)}）`).concat('不使用优惠券')
    wx.showActionSheet({
      itemList: names,
      success: ({ tapIndex }) => {
        this.couponChoice = tapIndex < usable.length ? { coupon_id: usable[tapIndex].id } : { no_coupon: true }
        this.refresh()
      },
    })
  },

  refresh() {
    if (!this.data.preview) this.setData({ status: 'loading' })
    return api.post('/api/v1/orders/preview', this.body(), { silent: Boolean(this.data.preview) })
      .then((preview) => this.show(preview))
      .catch((err) => {
        if (!this.data.preview) this.setData({ status: 'error', errorMessage: err.message })
      })
  },

  show(preview) {
    const methods = (preview.pay_methods || []).map((key) => ({ key, name: METHOD_NAMES[key] || key }))
    const method = methods.some((m) => m.key === this.data.method) ? this.data.method : (methods[0] || {}).key
    const points = checkoutPoints(preview.points, this.data.usePoints)
    // a reached tier is already a discount line; only what more would save is worth a line
    const promotionHints = (preview.promotions || []).filter((promotion) => promotion.hint.indexOf('再买') >= 0)
    const usable = (preview.coupons || []).filter((c) => c.usable).length
    const chosen = (preview.coupons || []).find((c) => c.id === preview.coupon_id)
    const couponText = chosen ? `-¥${(chosen.saving_fen / 100).toFixed(2)}` : (usable ? `${usable}张可用` : '无可用')
    this.setData({ status: '', preview, promotionHints, address: preview.address || this.data.address, methods,
      method, points, usePoints: Boolean(points && points.using), couponText })
  },

  onUsePoints(event) {
    const points = this.data.points
    if (!points || !points.usable) return
    this.setData({ usePoints: Boolean(event.detail) })
    this.refresh()
  },

  onRetry() {
    this.refresh()
  },

  onChooseAddress() {
    wx.navigateTo({
      url: '/pages/address/list?select=1',
      events: {
        selected: (address) => {
          this.setData({ address })
          this.refresh()
        },
      },
    })
  },

  onRemark(event) {
    this.setData({ remark: event.detail })
  },

  onMethod(event) {
    this.setData({ method: event.detail })
  },

  onMethodTap(event) {
    this.setData({ method: event.currentTarget.dataset.key })
  },

  onPhone(event) {
    if (!event.detail.code) return // refused
    api.post('/api/v1/me/phone', { code: event.detail.code })
      .then((me) => {
        this.setData({ needPhone: !me.has_phone })
        wx.setStorageSync('user', me)
        wx.showToast({ title: '手机号已绑定', icon: 'success' })
      })
      .catch(() => {})
  },

  onSubmit() {
    if (this.data.submitting) return
    if (!this.data.address) {
      wx.showToast({ title: '请先选择收货地址', icon: 'none' })
      return
    }
    this.setData({ submitting: true })
    const body = Object.assign(this.body(), {
      remark: this.data.remark.trim(),
      idempotency_key: this.idempotencyKey,
      expected_payable_fen: this.data.preview.payable_fen,
    })
    api.post('/api/v1/orders', body, { silent: true })
      .then((order) => this.payFor(order))
      .catch((err) => {
        this.setData({ submitting: false })
        if (err.code === 'price_changed' && err.body && err.body.preview) {
          this.show(err.body.preview)
          this.idempotencyKey = pay.newIdempotencyKey('co') // a new attempt at the new price
          wx.showModal({ title: '价格有变化', content: err.message + ' 请确认新的应付金额后再提交。', showCancel: false })
          return
        }
        wx.showToast({ title: err.message, icon: 'none' })
        if (err.status === 409 || err.status === 422) this.refresh()
      })
  },

  payFor(order) {
    const method = this.data.method || 'wechat'
    return pay.payOrder(order.id, method)
      .then(() => wx.redirectTo({ url: '/pages/pay-result/index?id=' + order.id + '&method=' + method }))
      .catch((err) => {
        // the order stands: it waits in "待付款" until paid or closed
        wx.showToast({ title: err.cancelled ? '已取消支付，可在订单中继续支付' : err.message, icon: 'none' })
        setTimeout(() => wx.redirectTo({ url: '/pages/orders/detail?id=' + order.id }), 1200)
      })
  },
})
