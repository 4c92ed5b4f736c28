/**
 * What a shopper can see and do with an order in each status: the tabs of the order list,
 * the Chinese label of each status, the buttons each status offers, and the timeline.
 * Plain functions, so the list, the detail and the tests share one truth.
 */
const { beijingTime } = require('./time')

const TABS = [
  { key: 'all', title: '全部' },
  { key: 'pending_payment', title: '待付款' },
  { key: 'paid', title: '待发货' },
  { key: 'shipped', title: '待收货' },
  { key: 'completed', title: '已完成' },
  { key: 'after_sales', title: '售后' },
]

const STATUS_LABELS = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '待收货',
  completed: '已完成',
  cancelled: '已取消',
  closed: '已关闭',
}

/** Statuses in which an item may still get an after-sale request (the server also checks the window). */
const AFTER_SALE_STATUSES = ['paid', 'shipped', 'completed']

const ACTIONS = {
  cancel: { key: 'cancel', label: '取消订单', primary: false },
  pay: { key: 'pay', label: '去支付', primary: true },
  tracking: { key: 'tracking', label: '查看物流', primary: false },
  receive: { key: 'receive', label: '确认收货', primary: true },
  afterSales: { key: 'afterSales', label: '申请售后', primary: false },
}

const ACTIONS_BY_STATUS = {
  pending_payment: ['cancel', 'pay'],
  paid: ['afterSales'],
  shipped: ['tracking', 'receive'],
  completed: ['tracking', 'afterSales'],
  cancelled: [],
  closed: [],
}

function statusLabel(status, serverLabel) {
  return STATUS_LABELS[status] || serverLabel || status || ''
}

/** The buttons for an order, in display order (primary last, as WeChat shops do). */
function orderActions(status) {
  return (ACTIONS_BY_STATUS[status] || []).map((key) => Object.assign({}, ACTIONS[key]))
}

/** An item paid in cash, or entirely with points still to give back (refunded for ¥0). */
function canApplyAfterSale(order, item) {
  if (!order || AFTER_SALE_STATUSES.indexOf(order.status) < 0) return false
  return !item || item.paid_fen > 0 || item.refundable_points > 0
}

/** A return needs the goods to have left: only shipped or completed orders offer it. */
function canReturnGoods(orderStatus) {
  return orderStatus === 'shipped' || orderStatus === 'completed'
}

/** "2026-11-27T18:30:00+08:00" → "2026-11-27 18:30", in Beijing time whatever the offset sent. */
function shortTime(iso) {
  return beijingTime(iso)
}

/** The steps an order went through, oldest first, from its timestamps. */
function timeline(order) {
  const steps = [
    ['created_at', '提交订单'],
    ['paid_at', '完成付款'],
    ['shipped_at', '商家发货'],
    ['completed_at', '确认收货'],
    ['cancelled_at', '订单取消'],
    ['closed_at', '订单关闭'],
  ]
  return steps
    .filter(([field]) => order && order[field])
    .map(([field, text]) => ({ text, time: shortTime(order[field]), at: order[field] }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map(({ text, time }) => ({ text, time }))
}

/** Seconds left to pay as "mm:ss" (or "h:mm:ss" past an hour). */
function countdown(seconds) {
  const total = Math.max(0, Math.floor(seconds || 0))
  const pad = (n) => (n < 10 ? `0${n}` : String(n))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`
}

/** The order as the list and detail pages show it: labels and buttons added, nothing removed. */
function decorate(order) {
  return Object.assign({}, order, {
    statusText: statusLabel(order.status, order.status_label),
    actions: orderActions(order.status),
    createdText: shortTime(order.created_at),
  })
}

module.exports = {
  TABS,
  STATUS_LABELS,
  statusLabel,
  orderActions,
  canApplyAfterSale,
  canReturnGoods,
  shortTime,
  timeline,
  countdown,
  decorate,
}
