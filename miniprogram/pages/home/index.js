// Home: search entry, banners, category icons, campaign slots and recommended products.
const api = require('../../utils/api')
const agent = require('../../utils/agent')

const ICONS = 10

Page({
  data: { status: 'loading', banners: [], modules: [], icons: [], recommended: [], isAgent: false },

  onLoad() {
    this.load()
  },

  onShow() {
    agent.profile().then((summary) => {
      this.setData({ isAgent: Boolean(summary.is_agent) })
      this.addCommission()
    })
  },

  /** Agents see what they earn on each recommended product. */
  addCommission() {
    if (!this.data.isAgent || !this.data.recommended.length) return
    agent.withCommission(this.data.recommended).then((recommended) => this.setData({ recommended }))
  },

  onPullDownRefresh() {
    this.load(true).then(() => wx.stopPullDownRefresh())
  },

  load(quiet) {
    if (!quiet) this.setData({ status: 'loading' })
    return api.get('/api/v1/home', {}, { silent: true })
      .then((home) => this.setData({
        status: '',
        banners: home.banners || [],
        modules: home.modules || [],
        icons: (home.categories || []).slice(0, ICONS),
        recommended: home.recommended || [],
      }, () => this.addCommission()))
      .catch(() => { if (!quiet || !this.data.recommended.length) this.setData({ status: 'error' }) })
  },

  onRetry() {
    this.load()
  },

  onSearch() {
    wx.navigateTo({ url: '/pages/search/index' })
  },

  onBanner(event) {
    const link = event.currentTarget.dataset.link
    if (link) wx.navigateTo({ url: link, fail: () => wx.switchTab({ url: link }) })
  },

  onCategory(event) {
    wx.navigateTo({ url: '/pages/list/index?category_id=' + event.currentTarget.dataset.id + '&title=' + encodeURIComponent(event.currentTarget.dataset.name) })
  },

  onShareAppMessage() {
    return { title: '分销商城', path: agent.sharePath('/pages/home/index') }
  },

  onShareTimeline() {
    const code = agent.inviteCode()
    return { title: '分销商城', query: code ? 'r=' + code : '' }
  },
})
