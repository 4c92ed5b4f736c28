// My commission lines by status (待结算 / 冻结中 / 可提现 / 已失效), newest first.
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const { initialList, loadList } = require('../../pages/orders/paged-list')
const { COMMISSION_STATUSES, commissionStatus } = require('./utils/labels')
const { beijingTime, beijingDate } = require('./utils/time')
const { levelText } = require('./utils/promotion')

const TABS = [{ key: '', label: '全部' }].concat(COMMISSION_STATUSES.map(({ key, label }) => ({ key, label })))

function line(row) {
  const badge = commissionStatus(row.status)
  const net = typeof row.net_fen === 'number' ? row.net_fen : row.amount_fen
  return Object.assign({}, row, {
    statusText: badge.label,
    tag: badge.tag,
    levelText: `${levelText([row.level || 1])}佣金`,
    amountText: yuan(net),
    reduced: typeof row.net_fen === 'number' && row.net_fen !== row.amount_fen,
    grossText: yuan(row.amount_fen),
    timeText: beijingTime(row.created_at),
    frozenText: row.status === 'frozen' && row.frozen_until ? `${beijingDate(row.frozen_until)} 后可提现` : '',
  })
}

Page({
  data: { tabs: TABS, active: 0, list: initialList() },

  onLoad(options) {
    const index = TABS.findIndex((tab) => tab.key === ((options && options.status) || ''))
    this.setData({ active: index < 0 ? 0 : index })
    this.refresh()
  },

  onPullDownRefresh() {
    this.refresh(true).then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    loadList(this, 'list', this.fetcher(), { map: line })
  },

  onTabChange(event) {
    this.setData({ active: event.detail.index })
    this.refresh()
  },

  fetcher() {
    const status = TABS[this.data.active].key
    return (cursor, size) => api.get('/distribution/commissions', { status, cursor, size }, { silent: true })
  },

  refresh(keepItems) {
    return loadList(this, 'list', this.fetcher(), { reset: true, keepItems, map: line })
  },

  onRetry() {
    return this.refresh()
  },
})
