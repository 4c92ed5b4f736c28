/**
 * One promotion order (GET /distribution/promotion-orders item, or a commission line when the
 * server has no such list) as the page shows it: buyer, what they paid, my commission, status.
 */
const { yuan } = require('../../../utils/money')
const { commissionStatus } = require('./labels')
const { beijingTime } = require('./time')

const first = (...values) => values.find((value) => value !== undefined && value !== null)

/** One promotion order as the page shows it (GET /distribution/promotion-orders item). */
function promotionOrder(row) {
  const status = first(row.commission_status, row.status)
  const badge = commissionStatus(status)
  return {
    key: `${first(row.order_id, row.id)}-${row.id}-${row.level || 1}`,
    id: first(row.order_id, row.id),
    orderNo: row.order_no || '',
    title: row.title || (row.items && row.items[0] && row.items[0].title) || '',
    image: row.image_url || '',
    buyer: first(row.buyer_nickname, row.buyer, row.nickname) || '',
    level: row.level || 1,
    levelText: row.level === 2 ? '二级' : '一级',
    paidText: yuan(first(row.paid_fen, row.order_paid_fen, row.payable_fen, 0)),
    commissionText: yuan(first(row.commission_fen, row.net_fen, row.amount_fen, 0)),
    statusText: badge.label,
    tag: badge.tag,
    timeText: beijingTime(first(row.paid_at, row.created_at)),
  }
}

module.exports = { promotionOrder }
