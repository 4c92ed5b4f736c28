// 我的拼团: the groups I started or joined, newest first, a page at a time; one opens the group.
const api = require('../../utils/api')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const logic = require('./logic')

Page({
  data: { list: initialList() },

  onShow() {
    this.refresh(Boolean(this.shown))
    this.shown = true
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    return loadList(this, 'list', this.fetcher(), { map: logic.myGroupCard })
  },

  fetcher() {
    return (cursor, size) => api.get('/groups/mine', { cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: logic.myGroupCard })
  },

  open(event) {
    wx.navigateTo({ url: `/packages/group/detail?id=${event.currentTarget.dataset.id}` })
  },

  openOrder(event) {
    wx.navigateTo({ url: `/pages/orders/detail?id=${event.currentTarget.dataset.order}` })
  },

  openActivities() {
    wx.navigateTo({ url: '/packages/group/index' })
  },

  onRetry() {
    return this.refresh(false)
  },
})
