// Promotion orders: the orders that earn me commission, with the (masked) buyer, what they paid,
// my commission on it and where that commission stands.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { COMMISSION_STATUSES } = require('./utils/labels')
const { promotionOrder } = require('./utils/promotion')

const TABS = [{ key: '', label: '全部' }].concat(COMMISSION_STATUSES.map(({ key, label }) => ({ key, label })))

Page({
  data: { tabs: TABS, active: 0, list: initialList() },

  onLoad() {
    this.refresh()
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: promotionOrder })
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh()
  },

  fetcher() {
    const status = TABS[this.data.active].key
    const query = (page, size) => ({ status, page, size })
    // Until the server lists promotion orders, the commission lines say the same per item.
    return (page, size) => api.get('/distribution/promotion-orders', query(page, size), { silent: true })
      .catch((err) => {
        if (err.status !== 404) throw err
        return api.get('/distribution/commissions', query(page, size), { silent: true })
      })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: promotionOrder })
  },

  onRetry() {
    return this.refresh()
  },
})
