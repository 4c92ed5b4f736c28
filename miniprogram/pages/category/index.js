// The category tree: top level on the left, its children (or itself) on the right.
const api = require('../../utils/api')

Page({
  data: { status: 'loading', tree: [], active: 0 },

  onLoad() {
    this.load()
  },

  load() {
    this.setData({ status: 'loading' })
    return api.get('/api/v1/categories', {}, { silent: true })
      .then((answer) => this.setData({ tree: answer.items || [], status: '', active: 0 }))
      .catch(() => this.setData({ status: 'error' }))
  },

  onRetry() {
    this.load()
  },

  onSide(event) {
    this.setData({ active: event.detail })
  },

  onSearch() {
    wx.navigateTo({ url: '/pages/search/index' })
  },

  onOpen(event) {
    const { id, name } = event.currentTarget.dataset
    wx.navigateTo({ url: '/pages/list/index?category_id=' + id + '&title=' + encodeURIComponent(name) })
  },
})
