// Me: who I am, my points and balance, orders by status, after-sales, addresses, and the way
// into distribution (become an agent, or the distribution centre once I am one), my member level,
// bargains and my group buys.
const api = require('../../utils/api')
const agent = require('../../utils/agent')

const ORDER_TABS = [
  { status: 'pending_payment', text: '待付款', icon: 'balance-pay' },
  { status: 'paid', text: '待发货', icon: 'send-gift-o' },
  { status: 'shipped', text: '待收货', icon: 'logistics' },
  { status: 'completed', text: '已完成', icon: 'completed' },
]

// where a shopper's application stands (GET /distribution/application), shown by 成为分销员
const APPLICATION_TEXT = { pending: '审核中', rejected: '未通过，可重新申请', disabled: '已停用', removed: '已移除' }

Page({
  data: { me: null, distribution: null, counts: {}, tabs: ORDER_TABS, loadFailed: false, applicationText: '', couponCount: '' },

  onShow() {
    this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    const me = api.get('/api/v1/me', {}, { silent: true })
      .then((answer) => this.setData({ me: answer, loadFailed: false }))
      .catch(() => this.setData({ loadFailed: true }))
    const counts = api.get('/api/v1/orders', { status: 'all', page: 1, size: 1 }, { silent: true })
      .then((answer) => this.setData({ counts: answer.counts || {} }))
      .catch(() => {})
    const distribution = agent.profile(true).then((summary) => {
      this.setData({ distribution: summary })
      if (summary.is_agent) return this.setData({ applicationText: '' })
      return api.get('/api/v1/distribution/application', {}, { silent: true })
        .then((answer) => this.setData({ applicationText: APPLICATION_TEXT[answer.status] || '' }))
        .catch(() => {})
    })
    const coupons = api.get('/api/v1/coupons/mine', { tab: 'usable', size: 1 }, { silent: true })
      .then((answer) => this.setData({ couponCount: answer.counts.usable > 99 ? '99+' : `${answer.counts.usable}张` }))
      .catch(() => {})
    return Promise.all([me, counts, distribution, coupons])
  },

  onRetry() {
    this.load()
  },

  onOrders(event) {
    const status = event.currentTarget.dataset.status || 'all'
    wx.navigateTo({ url: '/pages/orders/list?status=' + status })
  },

  onAfterSales() {
    wx.navigateTo({ url: '/packages/after-sales/list' })
  },

  onPoints() {
    wx.navigateTo({ url: '/packages/points/detail' })
  },

  onSignIn() {
    wx.navigateTo({ url: '/packages/points/sign-in' })
  },

  onCoupons() {
    wx.navigateTo({ url: '/packages/coupons/mine' })
  },

  onBargains() {
    wx.navigateTo({ url: '/packages/bargain/index' })
  },

  onGroups() {
    wx.navigateTo({ url: '/packages/group/mine' })
  },

  onMemberLevel() {
    wx.navigateTo({ url: '/packages/member/level' })
  },

  onAddresses() {
    wx.navigateTo({ url: '/pages/address/list' })
  },

  onDistribution() {
    const summary = this.data.distribution || {}
    if (summary.is_agent) wx.navigateTo({ url: '/packages/distribution/index' })
    else wx.navigateTo({ url: '/packages/distribution/apply' })
  },
})
