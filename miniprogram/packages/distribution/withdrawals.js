// My withdrawal records; a WeChat withdrawal waiting for me to accept the transfer can be
// confirmed again from here.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { withdrawalStatus, methodLabel } = require('./utils/labels')
const { beijingTime } = require('./utils/time')
const { confirmTransfer } = require('./utils/transfer')

function record(row) {
  const badge = withdrawalStatus(row.status)
  return Object.assign({}, row, {
    statusText: row.method === 'wechat' && row.status === 'paying' ? '待确认收款' : badge.label,
    tag: badge.tag,
    methodText: methodLabel(row.method),
    amountText: yuan(row.amount_fen),
    feeText: yuan(row.fee_fen),
    netText: yuan(row.net_fen),
    timeText: beijingTime(row.created_at),
    paidText: beijingTime(row.paid_at),
    canConfirm: row.method === 'wechat' && row.status === 'paying',
  })
}

Page({
  data: { list: initialList(), confirming: 0 },

  onShow() {
    this.refresh(Boolean(this.shown))
    this.shown = true
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetchPage, { map: record })
  },

  fetchPage(cursor, size) {
    return api.get('/distribution/withdrawals', { cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetchPage, { reset: true, keepItems, map: record })
  },

  onRetry() {
    return this.refresh()
  },

  confirm(event) {
    const id = Number(event.currentTarget.dataset.id)
    if (this.data.confirming) return Promise.resolve()
    this.setData({ confirming: id })
    return confirmTransfer(id)
      .then((result) => wx.showToast({ title: result === 'confirmed' ? '已确认收款' : '处理中', icon: 'success' }))
      .catch((err) => err && err.cancelled && wx.showToast({ title: err.message, icon: 'none' }))
      .then(() => {
        this.setData({ confirming: 0 })
        return this.refresh(true)
      })
  },

  withdraw() {
    wx.navigateTo({ url: '/packages/distribution/withdraw' })
  },
})
