// 我的优惠券: usable / used / expired, newest first, a page at a time.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const logic = require('./logic')

Page({
  data: { tabs: logic.TABS, active: 0, counts: {}, list: initialList() },

  onShow() {
    this.refresh(Boolean(this.shown))
    this.shown = true
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: logic.mineCard })
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh(false)
  },

  fetcher() {
    const tab = logic.TABS[this.data.active].key
    return (cursor, size) => api.get('/coupons/mine', { tab, cursor, size }, { silent: true })
      .then((answer) => {
        this.setData({ counts: answer.counts || {} })
        return answer
      })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: logic.mineCard })
  },

  onRetry() {
    return this.refresh(false)
  },

  openCentre() {
    wx.navigateTo({ url: '/packages/coupons/centre' })
  },
})
