// The cart: select lines, change quantities, remove; lines that cannot be bought are greyed with
// the reason and can be cleared together; full-reduction hints over the selected lines (再买¥31减20)
// show above the total. Every change answers the whole cart again.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')

const REASONS = {
  sku_gone: '规格已失效',
  deleted: '商品已删除',
  off_shelf: '商品已下架',
  sold_out: '已售罄',
  insufficient_stock: '库存不足',
}

function decorate(cart) {
  const items = cart.items.map((line) => {
    const blocking = line.flags.filter((flag) => REASONS[flag])
    return Object.assign({}, line, {
      reason: blocking.map((flag) => (flag === 'insufficient_stock' ? '仅剩 ' + line.stock + ' 件' : REASONS[flag])).join('，'),
      priceNote: line.flags.indexOf('price_changed') >= 0 ? '价格已变动，原价 ¥' + yuan(line.seen_price_fen) : '',
    })
  })
  const valid = items.filter((line) => line.purchasable)
  const invalid = items.filter((line) => !line.purchasable)
  const selected = valid.filter((line) => line.selected)
  return {
    valid,
    invalid,
    totals: cart.totals,
    promotionTip: (cart.promotions || []).map((promotion) => promotion.hint).join('；'),
    allSelected: valid.length > 0 && selected.length === valid.length,
    selectedCount: selected.reduce((sum, line) => sum + line.quantity, 0),
  }
}

Page({
  data: { status: 'loading', valid: [], invalid: [], totals: { amount_fen: 0, quantity: 0, lines: 0 }, promotionTip: '', allSelected: false, selectedCount: 0, editing: false },

  onShow() {
    this.load(this.data.valid.length + this.data.invalid.length > 0)
  },

  onPullDownRefresh() {
    this.load(true).then(() => wx.stopPullDownRefresh())
  },

  load(quiet) {
    if (!quiet) this.setData({ status: 'loading' })
    return api.get('/api/v1/cart', {}, { silent: true })
      .then((cart) => this.show(cart))
      .catch(() => { if (!quiet) this.setData({ status: 'error' }) })
  },

  show(cart) {
    this.setData(Object.assign({ status: '' }, decorate(cart)))
    const count = cart.totals.quantity
    if (count) wx.setTabBarBadge({ index: 2, text: String(count > 99 ? '99+' : count), fail: () => {} })
    else wx.removeTabBarBadge({ index: 2, fail: () => {} })
  },

  change(promise) {
    return promise.then((cart) => this.show(cart)).catch(() => this.load(true))
  },

  onRetry() {
    this.load()
  },

  onToggle(event) {
    const id = event.currentTarget.dataset.id
    this.change(api.patch('/api/v1/cart/' + id, { selected: event.detail }))
  },

  onToggleAll() {
    this.change(api.post('/api/v1/cart/select', { selected: !this.data.allSelected }))
  },

  onQuantity(event) {
    const id = event.currentTarget.dataset.id
    const quantity = Number(event.detail)
    if (!quantity || quantity < 1) return
    this.change(api.patch('/api/v1/cart/' + id, { quantity }))
  },

  onRemove(event) {
    const id = event.currentTarget.dataset.id
    wx.showModal({
      title: '删除这件商品？',
      success: (res) => { if (res.confirm) this.change(api.del('/api/v1/cart/' + id)) },
    })
  },

  onClearInvalid() {
    wx.showModal({
      title: '清空失效商品？',
      success: (res) => { if (res.confirm) this.change(api.post('/api/v1/cart/clear-invalid', {})) },
    })
  },

  onEdit() {
    this.setData({ editing: !this.data.editing })
  },

  onRemoveSelected() {
    const ids = this.data.valid.filter((line) => line.selected).map((line) => line.id)
    if (!ids.length) return
    wx.showModal({
      title: '删除选中的 ' + ids.length + ' 件商品？',
      success: (res) => {
        if (res.confirm) this.change(api.post('/api/v1/cart/remove', { ids })).then(() => this.setData({ editing: false }))
      },
    })
  },

  onOpen(event) {
    wx.navigateTo({ url: '/pages/product/index?id=' + event.currentTarget.dataset.product })
  },

  onCheckout() {
    if (!this.data.selectedCount) {
      wx.showToast({ title: '请选择要结算的商品', icon: 'none' })
      return
    }
    wx.navigateTo({ url: '/pages/checkout/index?from=cart' })
  },

  goShopping() {
    wx.switchTab({ url: '/pages/home/index' })
  },
})
