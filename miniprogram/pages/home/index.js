const api = require('../../utils/api')

Page({
  data: { loading: true, home: null },
  onLoad() {
    this.load()
  },
  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },
  load() {
    this.setData({ loading: true })
    return api.get('/api/v1/home', {}, { silent: true })
      .then((home) => this.setData({ home, loading: false }))
      .catch(() => this.setData({ loading: false }))
  },
})
