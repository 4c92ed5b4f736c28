// The distribution centre: my commission today and in total by status, what I can withdraw,
// my team, and the way in to every list; a shopper who is not an agent sees how to become one.
const api = require('../../utils/api')
const auth = require('../../utils/auth')
const { yuan } = require('../../utils/money')
const { applicationView } = require('./utils/labels')

const MENU = [
  { key: 'commissions', text: '佣金明细', icon: 'balance-list-o', url: '/packages/distribution/commissions' },
  { key: 'orders', text: '推广订单', icon: 'orders-o', url: '/packages/distribution/orders' },
  { key: 'team', text: '我的团队', icon: 'friends-o', url: '/packages/distribution/team' },
  { key: 'rankings', text: '排行榜', icon: 'medal-o', url: '/packages/distribution/rankings' },
  { key: 'withdrawals', text: '提现记录', icon: 'records', url: '/packages/distribution/withdrawals' },
  { key: 'poster', text: '邀请海报', icon: 'photo-o', url: '/packages/distribution/poster' },
]

/** The summary as the page shows it: yuan strings, and which state the shopper is in. */
function shapeSummary(me) {
  const account = me.account || {}
  const commission = me.commission || {}
  const team = me.team || {}
  return {
    isAgent: Boolean(me.is_agent),
    agentStatus: me.agent_status || '',
    inviteCode: me.invite_code || '',
    level: me.level || '',
    availableText: yuan(account.available_fen),
    availableFen: account.available_fen || 0,
    todayText: yuan(commission.today_fen),
    totalText: yuan(commission.total_fen),
    buckets: [
      { key: 'pending', label: '待结算', text: yuan(account.pending_fen) },
      { key: 'frozen', label: '冻结中', text: yuan(account.frozen_fen) },
      { key: 'withdrawing', label: '提现中', text: yuan(account.withdrawing_fen) },
      { key: 'withdrawn', label: '已提现', text: yuan(account.withdrawn_fen) },
    ],
    team: { level1: team.level1 || 0, level2: team.level2 || 0, total: team.total || 0 },
  }
}

Page({
  data: {
    status: 'loading',
    message: '',
    summary: null,
    application: null,
    user: null,
    menu: MENU,
  },

  onShow() {
    this.setData({ user: auth.cachedUser() })
    this.load()
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    if (!this.data.summary) this.setData({ status: 'loading' })
    return auth.ensureLogin()
      .then(() => api.get('/distribution/me', {}, { silent: true }))
      .then((me) => {
        const summary = shapeSummary(me)
        this.setData({ summary, status: '', message: '' })
        return summary.isAgent ? null : this.loadApplication()
      })
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  loadApplication() {
    return api.get('/distribution/application', {}, { silent: true })
      .then((answer) => this.setData({ application: applicationView(answer) }))
      .catch(() => this.setData({ application: applicationView({ status: 'none' }) }))
  },

  copyCode() {
    wx.setClipboardData({ data: this.data.summary.inviteCode })
  },

  open(event) {
    wx.navigateTo({ url: event.currentTarget.dataset.url })
  },

  openCommissions(event) {
    const status = event.currentTarget.dataset.status || ''
    wx.navigateTo({ url: `/packages/distribution/commissions?status=${status}` })
  },

  /** 待结算 / 冻结中 open those commission lines; 提现中 / 已提现 open the withdrawal records. */
  openBucket(event) {
    const bucket = event.currentTarget.dataset.bucket
    if (bucket === 'pending' || bucket === 'frozen') {
      wx.navigateTo({ url: `/packages/distribution/commissions?status=${bucket}` })
    } else {
      wx.navigateTo({ url: '/packages/distribution/withdrawals' })
    }
  },

  openTeam(event) {
    wx.navigateTo({ url: `/packages/distribution/team?level=${event.currentTarget.dataset.level || 1}` })
  },

  withdraw() {
    wx.navigateTo({ url: '/packages/distribution/withdraw' })
  },

  apply() {
    wx.navigateTo({ url: '/packages/distribution/apply' })
  },

  onShareAppMessage() {
    const code = this.data.summary && this.data.summary.inviteCode
    return { title: '好物推荐，一起来逛逛', path: code ? `/pages/home/index?r=${code}` : '/pages/home/index' }
  },
})
