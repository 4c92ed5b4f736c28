// My growth (成长值) changes, newest first: orders, sign-ins, refunds, the yearly review.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { growthRow } = require('./utils/level')

Page({
  data: { list: initialList() },

  onLoad() {
    this.refresh()
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: growthRow })
  },

  fetcher() {
    return (cursor, size) => api.get('/api/v1/members/growth', { cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: growthRow })
  },

  onRetry() {
    return this.refresh()
  },
})
