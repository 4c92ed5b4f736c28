// My orders by status tab (全部/待付款/待发货/待收货/已完成) and my after-sales (售后).
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const status = require('./status')
const { initialList, loadList } = require('./paged-list')
const { payOrder } = require('./pay')
const afterSaleLabel = { requested: '待商家审核', approved: '待寄回商品', returning: '商品寄回中', refunding: '退款中',
  refunded: '已退款', rejected: '已拒绝', cancelled: '已撤销' }

function orderCard(order) {
  const card = status.decorate(order)
  card.payableText = yuan(order.payable_fen)
  card.items = (order.items || []).map((item) => Object.assign({}, item, { priceText: yuan(item.unit_price_fen) }))
  return card
}

function afterSaleCard(row) {
  return Object.assign({}, row, {
    statusText: afterSaleLabel[row.status] || row.status_label || row.status,
    kindText: row.kind === 'return_refund' ? '退货退款' : '仅退款',
    amountText: yuan(row.amount_fen),
  })
}

Page({
  data: {
    tabs: status.TABS,
    active: 0,
    counts: {},
    list: initialList(),
  },

  onLoad(options) {
    const index = status.TABS.findIndex((tab) => tab.key === (options && options.status))
    this.setData({ active: index < 0 ? 0 : index })
    this.loaded = false
  },

  onShow() {
    // Back from paying, the detail or an after-sale: the lists may have moved.
    this.refresh(this.loaded)
    this.loaded = true
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    this.loadMore()
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh(false)
  },

  currentTab() {
    return status.TABS[this.data.active].key
  },

  fetchPage(tab) {
    if (tab === 'after_sales') {
      return (cursor, size) => api.get('/after-sales', { cursor, size }, { silent: true })
    }
    return (cursor, size) => api.get('/orders', { status: tab, cursor, size }, { silent: true })
      .then((answer) => {
        if (answer.counts) this.setData({ counts: answer.counts })
        return answer
      })
  },

  refresh(keepItems) {
    const tab = this.currentTab()
    return loadList(this, 'list', this.fetchPage(tab), {
      reset: true, keepItems, map: tab === 'after_sales' ? afterSaleCard : orderCard,
    })
  },

  loadMore() {
    const tab = this.currentTab()
    return loadList(this, 'list', this.fetchPage(tab), { map: tab === 'after_sales' ? afterSaleCard : orderCard })
  },

  onRetry() {
    return this.data.list.page > 0 ? this.loadMore() : this.refresh(false)
  },

  openOrder(event) {
    wx.navigateTo({ url: `/pages/orders/detail?id=${event.currentTarget.dataset.id}` })
  },

  openAfterSale(event) {
    wx.navigateTo({ url: `/packages/after-sales/detail?id=${event.currentTarget.dataset.id}` })
  },

  goShopping() {
    wx.switchTab({ url: '/pages/home/index' })
  },

  onAction(event) {
    const { action, id } = event.currentTarget.dataset
    const order = this.data.list.items.find((row) => String(row.id) === String(id))
    if (!order) return Promise.resolve()
    if (action === 'pay') return payOrder(order.id).catch(() => this.refresh(true))
    if (action === 'cancel') return this.cancel(order)
    if (action === 'receive') return this.receive(order)
    if (action === 'tracking') return wx.navigateTo({ url: `/pages/orders/detail?id=${order.id}&tracking=1` })
    if (action === 'afterSales') {
      const items = order.items || []
      return wx.navigateTo({
        url: items.length === 1
          ? `/packages/after-sales/apply?order_id=${order.id}&item_id=${items[0].id}`
          : `/pages/orders/detail?id=${order.id}`,
      })
    }
    return Promise.resolve()
  },

  confirm(title, content) {
    return new Promise((resolve) => {
      wx.showModal({ title, content, confirmColor: '#ee0a24', success: (res) => resolve(Boolean(res.confirm)) })
    })
  },

  cancel(order) {
    return this.confirm('取消订单', '确定取消这个订单吗？').then((ok) => {
      if (!ok) return null
      return api.post(`/orders/${order.id}/cancel`, { reason: '' })
        .then(() => wx.showToast({ title: '订单已取消', icon: 'success' }))
        .then(() => this.refresh(true), () => this.refresh(true))
    })
  },

  receive(order) {
    return this.confirm('确认收货', '请确认已收到全部商品，确认后订单完成。').then((ok) => {
      if (!ok) return null
      return api.post(`/orders/${order.id}/receive`, {})
        .then(() => wx.showToast({ title: '已确认收货', icon: 'success' }))
        .then(() => this.refresh(true), () => this.refresh(true))
    })
  },
})
