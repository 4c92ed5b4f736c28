// My after-sale requests, newest first, filterable by status.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const logic = require('./logic')

const FILTERS = [
  { key: '', title: '全部' },
  { key: 'requested', title: '待审核' },
  { key: 'approved', title: '待寄回' },
  { key: 'refunding', title: '退款中' },
  { key: 'refunded', title: '已退款' },
]

function card(row) {
  return Object.assign({}, row, {
    statusText: logic.statusLabel(row.status, row.status_label),
    kindText: logic.KIND_LABELS[row.kind] || row.kind,
    amountText: yuan(row.amount_fen),
  })
}

Page({
  data: { filters: FILTERS, active: 0, list: initialList() },

  onShow() {
    this.refresh(Boolean(this.shown))
    this.shown = true
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: card })
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh(false)
  },

  fetcher() {
    const status = FILTERS[this.data.active].key
    return (cursor, size) => api.get('/after-sales', { status, cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: card })
  },

  onRetry() {
    return this.refresh(false)
  },

  open(event) {
    wx.navigateTo({ url: `/packages/after-sales/detail?id=${event.currentTarget.dataset.id}` })
  },
})
