// Promotion orders: the orders that earn me commission, newest first, with the (masked) buyer,
// what they paid, my commission on it and where that commission stands.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { promotionOrder } = require('./utils/promotion')

/** GET /distribution/promotion-orders; where the server lacks it, the commission lines per item. */
function fetchPage(cursor, size) {
  return api.get('/distribution/promotion-orders', { cursor, size }, { silent: true })
    .catch((err) => {
      if (err.status !== 404) throw err
      return api.get('/distribution/commissions', { cursor, size }, { silent: true })
    })
}

Page({
  data: { list: initialList() },

  onLoad() {
    this.refresh()
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', fetchPage, { map: promotionOrder })
  },

  refresh(keepItems) {
    return loadList(this, 'list', fetchPage, { reset: true, keepItems, map: promotionOrder })
  },

  onRetry() {
    return this.refresh()
  },
})
