// Search: hot words from the shop, the shopper's own history (kept on the phone, newest first).
const api = require('../../utils/api')

const HISTORY_KEY = 'search_history'
const HISTORY_SIZE = 12

function readHistory() {
  const history = wx.getStorageSync(HISTORY_KEY)
  return Array.isArray(history) ? history : []
}

Page({
  data: { keyword: '', hot: [], history: [] },

  onLoad(options) {
    this.setData({ keyword: options.keyword ? decodeURIComponent(options.keyword) : '', history: readHistory() })
    api.get('/api/v1/search/hot-words', {}, { silent: true })
      .then((answer) => this.setData({ hot: answer.words || [] }))
      .catch(() => {})
  },

  onShow() {
    this.setData({ history: readHistory() })
  },

  onChange(event) {
    this.setData({ keyword: event.detail })
  },

  onSearch(event) {
    this.go(typeof event.detail === 'string' ? event.detail : this.data.keyword)
  },

  onWord(event) {
    this.go(event.currentTarget.dataset.word)
  },

  go(raw) {
    const keyword = String(raw || '').trim()
    if (!keyword) {
      wx.showToast({ title: '请输入要搜索的商品', icon: 'none' })
      return
    }
    const history = [keyword].concat(readHistory().filter((word) => word !== keyword)).slice(0, HISTORY_SIZE)
    wx.setStorageSync(HISTORY_KEY, history)
    this.setData({ history, keyword })
    wx.navigateTo({ url: '/pages/list/index?keyword=' + encodeURIComponent(keyword) })
  },

  onClearHistory() {
    wx.showModal({
      title: '清空搜索历史？',
      success: (res) => {
        if (!res.confirm) return
        wx.removeStorageSync(HISTORY_KEY)
        this.setData({ history: [] })
      },
    })
  },
})
