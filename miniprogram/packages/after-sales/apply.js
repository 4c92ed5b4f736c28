// Ask for a refund (or a return and refund) of some units of one order item.
const api = require('../../utils/api')
const { yuan, fenFromYuan } = require('../../utils/money')
const orderStatus = require('../../pages/orders/status')
const logic = require('./logic')
const { uploadImage, choosePhotos } = require('./upload')

/** Server field names → the form's ("photos.2" → "photos"). */
function formFields(fields) {
  const names = { amount_fen: 'amount', order_item_id: 'item' }
  return Object.keys(fields || {}).reduce((out, key) => {
    const name = names[key] || key.split('.')[0]
    return Object.assign(out, { [name]: String(fields[key]) })
  }, {})
}

Page({
  data: {
    status: 'loading',
    message: '',
    item: null,
    kinds: logic.KINDS,
    canReturn: false,
    reasons: [],
    other: '其他',
    maxPhotos: 9,
    form: { kind: 'refund_only', quantity: 1, reason: '', description: '', amountText: '', photos: [] },
    capText: '0.00',
    refundPoints: 0,
    fields: {},
    uploading: 0,
    submitting: false,
  },

  onLoad(options) {
    this.orderId = Number(options.order_id)
    this.itemId = Number(options.item_id)
    this.load()
  },

  load() {
    this.setData({ status: 'loading' })
    return Promise.all([
      api.get(`/orders/${this.orderId}`, {}, { silent: true }),
      api.get('/after-sales/reasons', {}, { silent: true }),
    ]).then(([order, reasons]) => {
      const item = (order.items || []).find((row) => row.id === this.itemId)
      if (!item) throw new api.ApiError({ status: 404, code: 'order_item_not_found', message: '商品不存在' })
      const canReturn = orderStatus.canReturnGoods(order.status)
      this.setData({
        status: '',
        item: Object.assign({}, item, { priceText: yuan(item.unit_price_fen), paidText: yuan(item.paid_fen),
          claimable: logic.claimableQuantity(item) }),
        canReturn,
        kinds: logic.KINDS.map((kind) => Object.assign({}, kind, {
          disabled: kind.key === 'return_refund' && !canReturn,
        })),
        reasons: reasons.reasons || [],
        other: reasons.other || '其他',
        maxPhotos: reasons.max_photos || 9,
        'form.kind': canReturn ? 'return_refund' : 'refund_only',
        'form.quantity': logic.claimableQuantity(item),
      })
      this.refreshCap()
    }).catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  refreshCap() {
    const cap = logic.amountCap(this.data.item, this.data.form.quantity)
    this.setData({ capText: yuan(cap) })
    this.refreshPoints()
  },

  /** The points this request gives back, for the amount typed (or the cap, untouched). */
  refreshPoints() {
    const typed = String(this.data.form.amountText || '').trim()
    const fen = typed ? fenFromYuan(typed) : undefined
    const points = fen === null ? 0 : logic.pointsBack(this.data.item, this.data.form.quantity, fen)
    this.setData({ refundPoints: points })
  },

  chooseKind(event) {
    const kind = event.currentTarget.dataset.kind
    const option = this.data.kinds.find((row) => row.key === kind)
    if (!option || option.disabled) {
      wx.showToast({ title: '商品发货后才能退货退款', icon: 'none' })
      return
    }
    this.setData({ 'form.kind': kind, 'fields.kind': '' })
  },

  onQuantity(event) {
    this.setData({ 'form.quantity': Number(event.detail), 'form.amountText': '', 'fields.quantity': '' })
    this.refreshCap()
  },

  onReason(event) {
    this.setData({ 'form.reason': this.data.reasons[Number(event.detail.value)], 'fields.reason': '' })
  },

  onAmount(event) {
    this.setData({ 'form.amountText': event.detail.value, 'fields.amount': '' })
    this.refreshPoints()
  },

  onDescription(event) {
    this.setData({ 'form.description': event.detail.value, 'fields.description': '' })
  },

  addPhotos() {
    const room = this.data.maxPhotos - this.data.form.photos.length - this.data.uploading
    if (room <= 0) return Promise.resolve()
    return choosePhotos(room).then((paths) => Promise.all(paths.map((path) => this.uploadOne(path))))
  },

  uploadOne(path) {
    this.setData({ uploading: this.data.uploading + 1 })
    return uploadImage(path)
      .then((url) => this.setData({ 'form.photos': this.data.form.photos.concat([url]), 'fields.photos': '' }))
      .catch((err) => wx.showToast({ title: (err && err.message) || '上传失败', icon: 'none' }))
      .then(() => this.setData({ uploading: this.data.uploading - 1 }))
  },

  removePhoto(event) {
    const photos = this.data.form.photos.slice()
    photos.splice(Number(event.currentTarget.dataset.index), 1)
    this.setData({ 'form.photos': photos })
  },

  previewPhoto(event) {
    wx.previewImage({ urls: this.data.form.photos, current: event.currentTarget.dataset.url })
  },

  submit() {
    if (this.data.submitting || this.data.uploading) return Promise.resolve()
    const check = logic.validate(this.data.form, this.data.item, {
      other: this.data.other, maxPhotos: this.data.maxPhotos,
    })
    if (!check.ok) {
      this.setData({ fields: check.fields })
      wx.showToast({ title: check.fields[Object.keys(check.fields)[0]], icon: 'none' })
      return Promise.resolve()
    }
    this.setData({ submitting: true, fields: {} })
    return api.post('/after-sales', check.body)
      .then((row) => {
        wx.showToast({ title: '申请已提交', icon: 'success' })
        wx.redirectTo({ url: `/packages/after-sales/detail?id=${row.id}` })
      })
      .catch((err) => this.setData({ fields: formFields(err.fields) }))
      .then(() => this.setData({ submitting: false }))
  },
})
