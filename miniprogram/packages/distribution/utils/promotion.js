/**
 * One promotion order (GET /distribution/promotion-orders item, or a commission line when the
 * server has no such list) as the page shows it: buyer, what they paid, my commission, status.
 */
const { yuan } = require('../../../utils/money')
const { commissionStatus } = require('./labels')
const { beijingTime } = require('./time')

const first = (...values) => values.find((value) => value !== undefined && value !== null)

const LEVELS = { 1: '一级', 2: '二级', 3: '三级' }

/** [1, 2] → "一级、二级": the levels at which this order pays me. */
function levelText(levels) {
  return levels.map((level) => LEVELS[level] || `${level}级`).join('、')
}

/** One promotion order as the page shows it (GET /distribution/promotion-orders item). */
function promotionOrder(row) {
  const status = first(row.commission_status, row.status)
  const badge = commissionStatus(status)
  return {
    key: `${first(row.order_id, row.id)}-${row.id}-${(row.levels || [row.level || 1]).join('')}`,
    id: first(row.order_id, row.id),
    orderNo: row.order_no || '',
    title: row.title || (row.items && row.items[0] && row.items[0].title) || '',
    image: row.image_url || '',
    buyer: first(row.buyer_nickname, row.buyer, row.nickname) || '',
    levelText: levelText(row.levels || [row.level || 1]),
    paidText: first(row.paid_fen, row.order_paid_fen, row.payable_fen) === undefined
      ? '' : yuan(first(row.paid_fen, row.order_paid_fen, row.payable_fen)),
    commissionText: yuan(first(row.commission_net_fen, row.net_fen, row.commission_fen, row.amount_fen, 0)),
    refundedText: row.refunded_fen ? yuan(row.refunded_fen) : '',
    statusText: badge.label,
    tag: badge.tag,
    timeText: beijingTime(first(row.paid_at, row.created_at)),
  }
}

module.exports = { promotionOrder, levelText }
