// One after-sale request: where it stands, what was asked, the merchant's return address and,
// once approved for a return, the form for the courier and tracking number of the parcel sent back.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const logic = require('./logic')
const { beijingTime } = require('../../pages/orders/time')

const HINTS = {
  requested: '商家将尽快审核您的申请',
  approved: '商家已同意，请将商品寄回下方地址并填写快递单号',
  returning: '商家收到退货后将为您退款',
  refunding: '退款处理中，将原路退回',
  refunded: '退款已原路退回，请注意查收',
  rejected: '商家未同意您的申请',
  cancelled: '您已撤销此申请',
}

function shape(row) {
  const steps = [
    ['created_at', '提交申请'], ['reviewed_at', '商家审核'], ['returned_at', '寄回商品'],
    ['received_at', '商家收货'], ['refunded_at', '退款完成'],
  ].filter(([field]) => row[field]).map(([field, text]) => ({ text, time: beijingTime(row[field]) }))
  return Object.assign({}, row, {
    statusText: logic.statusLabel(row.status, row.status_label),
    hint: row.status === 'refunded' && !row.amount_fen && row.refund_points ? '积分已退回您的账户'
      : (HINTS[row.status] || ''),
    kindText: logic.KIND_LABELS[row.kind] || row.kind,
    amountText: yuan(row.amount_fen),
    steps,
  })
}

Page({
  data: {
    status: 'loading',
    message: '',
    row: null,
    couriers: logic.COURIERS,
    courierIndex: -1,
    trackingNo: '',
    fields: {},
    sending: false,
  },

  onLoad(options) {
    this.id = Number(options.id)
  },

  onShow() {
    this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    if (!this.data.row) this.setData({ status: 'loading' })
    return api.get(`/after-sales/${this.id}`, {}, { silent: true })
      .then((row) => this.setData({ row: shape(row), status: '' }))
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  copyAddress() {
    wx.setClipboardData({ data: this.data.row.return_address })
  },

  previewPhoto(event) {
    wx.previewImage({ urls: this.data.row.photos, current: event.currentTarget.dataset.url })
  },

  onCourier(event) {
    this.setData({ courierIndex: Number(event.detail.value), 'fields.courier_code': '' })
  },

  onTrackingNo(event) {
    this.setData({ trackingNo: event.detail.value, 'fields.tracking_no': '' })
  },

  scanTrackingNo() {
    wx.scanCode({
      onlyFromCamera: false,
      scanType: ['barCode'],
      success: (res) => this.setData({ trackingNo: res.result, 'fields.tracking_no': '' }),
    })
  },

  submitReturn() {
    const fields = {}
    const courier = this.data.couriers[this.data.courierIndex]
    const trackingNo = String(this.data.trackingNo || '').trim()
    if (!courier) fields.courier_code = '请选择快递公司'
    if (!/^[A-Za-z0-9-]{4,40}$/.test(trackingNo)) fields.tracking_no = '请输入正确的快递单号'
    if (Object.keys(fields).length) {
      this.setData({ fields })
      return Promise.resolve()
    }
    this.setData({ sending: true, fields: {} })
    return api.post(`/after-sales/${this.id}/return`, { courier_code: courier.code, tracking_no: trackingNo })
      .then((row) => {
        wx.showToast({ title: '已提交', icon: 'success' })
        this.setData({ row: shape(row) })
      })
      .catch((err) => this.setData({ fields: err.fields || {} }))
      .then(() => this.setData({ sending: false }))
  },

  cancelRequest() {
    return new Promise((resolve) => {
      wx.showModal({
        title: '撤销申请', content: '撤销后本次申请将关闭，确定撤销吗？', confirmColor: '#ee0a24',
        success: (res) => resolve(Boolean(res.confirm)),
      })
    }).then((ok) => {
      if (!ok) return null
      return api.post(`/after-sales/${this.id}/cancel`, {})
        .then((row) => {
          wx.showToast({ title: '已撤销', icon: 'success' })
          this.setData({ row: shape(row) })
        })
        .catch(() => this.load())
    })
  },

  openOrder() {
    wx.navigateTo({ url: `/pages/orders/detail?id=${this.data.row.order_id}` })
  },
})
