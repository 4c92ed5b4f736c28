/**
 * Chinese labels and badge colours of the distribution centre: commission lines, withdrawals,
 * withdrawal methods, agent applications. One place, shared by every page and the tests.
 */
const { yuan } = require('../../../utils/money')

const COMMISSION_STATUSES = [
  { key: 'pending', label: '待结算', tag: 'warning', hint: '订单已付款，确认收货后进入冻结期' },
  { key: 'frozen', label: '冻结中', tag: 'primary', hint: '售后期内冻结，到期后可提现' },
  { key: 'available', label: '可提现', tag: 'success', hint: '已结算，可申请提现' },
  { key: 'cancelled', label: '已失效', tag: 'default', hint: '订单退款，佣金取消' },
]

const WITHDRAWAL_STATUSES = {
  reviewing: { label: '审核中', tag: 'warning' },
  approved: { label: '待打款', tag: 'primary' },
  paying: { label: '打款中', tag: 'primary' },
  paid: { label: '已到账', tag: 'success' },
  rejected: { label: '已驳回', tag: 'danger' },
  failed: { label: '打款失败', tag: 'danger' },
}

const METHODS = {
  wechat: { label: '微信零钱', icon: 'wechat', needsAccount: false },
  balance: { label: '商城余额', icon: 'balance-o', needsAccount: false },
  bank: { label: '银行卡', icon: 'card', needsAccount: true },
  alipay: { label: '支付宝', icon: 'alipay', needsAccount: true },
}

const APPLICATION_STATUSES = {
  none: '未申请',
  pending: '审核中',
  approved: '已通过',
  rejected: '未通过',
  agent: '已是推广员',
  disabled: '推广资格已停用',
  removed: '推广资格已取消',
}

const byKey = (list) => list.reduce((map, row) => Object.assign(map, { [row.key]: row }), {})
const COMMISSION_BY_KEY = byKey(COMMISSION_STATUSES)

function commissionStatus(status) {
  return COMMISSION_BY_KEY[status] || { key: status, label: status || '', tag: 'default', hint: '' }
}

function withdrawalStatus(status) {
  return WITHDRAWAL_STATUSES[status] || { label: status || '', tag: 'default' }
}

function methodLabel(method) {
  return (METHODS[method] && METHODS[method].label) || method || ''
}

/**
 * GET /distribution/application as the pages show it: the status label, the reason of a
 * rejection, whether the apply button shows, and how the shop makes agents when not by
 * application (by spending, or by buying given products).
 */
function applicationView(answer) {
  const source = answer || {}
  const status = source.status || 'none'
  const latest = source.application || {}
  let hint = ''
  if (source.become_agent === 'spend' && source.become_spend_fen) hint = `累计消费满 ¥${yuan(source.become_spend_fen)} 即可成为推广员`
  else if (source.become_agent === 'product') hint = '购买指定商品即可成为推广员'
  const canApply = source.can_apply === undefined ? ['none', 'rejected'].indexOf(status) >= 0 : Boolean(source.can_apply)
  return {
    status,
    statusText: APPLICATION_STATUSES[status] || status,
    rejectReason: latest.reject_reason || source.reject_reason || '',
    canApply,
    hint,
  }
}

/** The team level tabs (the API answers level 1 and 2). */
const TEAM_LEVELS = [
  { level: 1, title: '一级成员' },
  { level: 2, title: '二级成员' },
]

/** Mask a nickname or phone so a buyer is recognisable but not exposed: "张三丰" → "张*丰". */
function maskName(name) {
  const text = String(name || '')
  const chars = Array.from(text)
  if (chars.length === 0) return '匿名用户'
  if (chars.length === 1) return `${chars[0]}*`
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(Math.min(chars.length - 2, 3))}${chars[chars.length - 1]}`
}

module.exports = {
  COMMISSION_STATUSES, WITHDRAWAL_STATUSES, METHODS, APPLICATION_STATUSES, TEAM_LEVELS,
  commissionStatus, withdrawalStatus, methodLabel, maskName, applicationView,
}
