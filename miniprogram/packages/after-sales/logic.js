/**
 * The after-sales form's arithmetic and checks, in integer fen. The cap mirrors the server's
 * default amount (app/orders/after_sales.default_amount): the units' share of what was paid,
 * rounded down, and whatever is left (`refundable_fen`) when the request takes the last
 * units not yet claimed (`claimable_quantity`). The server stays the judge; the form only
 * avoids asking for what cannot be granted.
 *
 * Points that paid for the item come back with its refund (app/orders/after_sales.points_back):
 * in proportion to the cash, or by units for an item paid entirely with points (¥0 to refund).
 */
const { yuan, fenFromYuan } = require('../../utils/money')

const KINDS = [
  { key: 'refund_only', label: '仅退款', hint: '未收到货，或与商家协商一致不退货' },
  { key: 'return_refund', label: '退货退款', hint: '已收到货，需要寄回商品' },
]

const KIND_LABELS = { refund_only: '仅退款', return_refund: '退货退款' }

const STATUS_LABELS = {
  requested: '待商家审核',
  approved: '待寄回商品',
  returning: '商品寄回中',
  refunding: '退款中',
  refunded: '已退款',
  rejected: '已拒绝',
  cancelled: '已撤销',
}

const COURIERS = [
  { code: 'SF', name: '顺丰速运' },
  { code: 'ZTO', name: '中通快递' },
  { code: 'YTO', name: '圆通速递' },
  { code: 'STO', name: '申通快递' },
  { code: 'YD', name: '韵达快递' },
  { code: 'JD', name: '京东物流' },
  { code: 'EMS', name: 'EMS' },
]

/** Units of the item that no earlier request has claimed. */
function claimableQuantity(item) {
  if (!item) return 0
  const units = item.quantity > 0 ? item.quantity : 0
  return item.claimable_quantity === undefined ? units : Math.max(0, item.claimable_quantity)
}

/** The most that can be asked back for `quantity` of the item's units, in fen. */
function amountCap(item, quantity) {
  const units = item && item.quantity > 0 ? item.quantity : 0
  const paid = item && item.paid_fen > 0 ? item.paid_fen : 0
  const left = item && item.refundable_fen !== undefined ? Math.max(0, item.refundable_fen) : paid
  const qty = Math.floor(Number(quantity) || 0)
  if (!units || qty <= 0) return 0
  if (qty >= claimableQuantity(item)) return left
  return Math.min(left, Math.floor((paid * qty) / units))
}

/** The points a `points` discount took off the item. */
function itemPoints(item) {
  return ((item && item.discount_parts) || []).reduce(
    (sum, part) => sum + (part.kind === 'points' ? Number(part.points) || 0 : 0), 0)
}

/**
 * The points a request for `quantity` units and `amountFen` gives back, on top of what earlier
 * requests claimed: the item's points back after this claim, less those back after theirs.
 */
function pointsBack(item, quantity, amountFen) {
  const total = itemPoints(item)
  const units = item && item.quantity > 0 ? item.quantity : 0
  const qty = Math.floor(Number(quantity) || 0)
  if (!total || !units || qty <= 0) return 0
  const paid = item.paid_fen > 0 ? item.paid_fen : 0
  const left = item.refundable_points !== undefined ? Math.max(0, item.refundable_points) : total
  const back = (fen, count) => {
    if (paid > 0) return fen >= paid ? total : Math.floor((total * Math.max(0, fen)) / paid)
    return Math.floor((total * Math.min(Math.max(0, count), units)) / units)
  }
  const claimedUnits = units - claimableQuantity(item)
  const claimedFen = paid - (item.refundable_fen !== undefined ? Math.max(0, item.refundable_fen) : paid)
  const amount = amountFen === undefined ? amountCap(item, qty) : amountFen
  const gained = back(claimedFen + amount, claimedUnits + qty) - back(claimedFen, claimedUnits)
  return Math.max(0, Math.min(left, gained))
}

/**
 * Check the form before it is sent. Returns {ok, fields, body}: `fields` maps a field to its
 * message (as the server's error shape does), `body` is the POST /after-sales payload.
 */
function validate(form, item, options) {
  const other = (options && options.other) || '其他'
  const maxPhotos = (options && options.maxPhotos) || 9
  const fields = {}
  const quantity = Math.floor(Number(form.quantity) || 0)
  const cap = amountCap(item, quantity)
  if (!form.kind || !KIND_LABELS[form.kind]) fields.kind = '请选择售后类型'
  if (quantity < 1) fields.quantity = '至少 1 件'
  else if (item && quantity > item.quantity) fields.quantity = `最多 ${item.quantity} 件`
  if (!form.reason) fields.reason = '请选择原因'
  const description = String(form.description || '').trim()
  if (form.reason === other && !description) fields.description = '请描述遇到的问题'
  let amountFen = cap
  let custom = false
  if (form.amountText !== undefined && String(form.amountText).trim() !== '') {
    amountFen = fenFromYuan(form.amountText)
    if (amountFen === null) fields.amount = '请输入正确的金额'
    else if (amountFen <= 0 && !(cap === 0 && pointsBack(item, quantity, 0) > 0)) fields.amount = '退款金额须大于 0'
    else if (amountFen > cap) fields.amount = `最多可退 ¥${yuan(cap)}`
    custom = amountFen !== cap
  }
  const photos = form.photos || []
  if (photos.length > maxPhotos) fields.photos = `最多 ${maxPhotos} 张`
  const ok = Object.keys(fields).length === 0
  // Untouched, the amount is left to the server: it knows what earlier requests claimed.
  const body = ok ? {
    order_item_id: item.id, kind: form.kind, quantity, reason: form.reason, description, photos: photos.slice(),
  } : null
  if (body && custom) body.amount_fen = amountFen
  return { ok, fields, body, capFen: cap }
}

function statusLabel(status, serverLabel) {
  return STATUS_LABELS[status] || serverLabel || status || ''
}

module.exports = {
  claimableQuantity, itemPoints, pointsBack,
  KINDS, KIND_LABELS, STATUS_LABELS, COURIERS, amountCap, validate, statusLabel,
}
