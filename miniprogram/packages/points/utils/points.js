// Points views: the month calendar of sign-ins, a ledger row, what expires when, and the
// checkout's points cell. Pure functions, so they are tested without a page.

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']

/**
 * The weeks of `month` ('YYYY-MM') as rows of 7 cells (Sunday first); a cell is
 * {day, signed, today} or {day: 0} outside the month. `today` is 'YYYY-MM-DD' (Beijing).
 */
function calendar(month, signedDays, today) {
  const [year, monthIndex] = month.split('-').map(Number)
  const first = new Date(Date.UTC(year, monthIndex - 1, 1)).getUTCDay()
  const length = new Date(Date.UTC(year, monthIndex, 0)).getUTCDate()
  const signed = new Set(signedDays || [])
  const todayDay = today && today.slice(0, 7) === month ? Number(today.slice(8, 10)) : 0
  const cells = []
  for (let blank = 0; blank < first; blank++) cells.push({ day: 0 })
  for (let day = 1; day <= length; day++) cells.push({ day, signed: signed.has(day), today: day === todayDay })
  while (cells.length % 7) cells.push({ day: 0 })
  const weeks = []
  for (let start = 0; start < cells.length; start += 7) weeks.push(cells.slice(start, start + 7))
  return weeks
}

/** The month before or after 'YYYY-MM'. */
function shiftMonth(month, by) {
  const [year, monthIndex] = month.split('-').map(Number)
  const moved = new Date(Date.UTC(year, monthIndex - 1 + by, 1))
  return `${moved.getUTCFullYear()}-${String(moved.getUTCMonth() + 1).padStart(2, '0')}`
}

/** Today in Beijing as 'YYYY-MM-DD'. */
function beijingToday(now) {
  const moment = new Date((now || new Date()).getTime() + 8 * 3600 * 1000)
  return moment.toISOString().slice(0, 10)
}

/** A ledger row as the detail list shows it. */
function entryView(row) {
  return Object.assign({}, row, {
    deltaText: row.delta > 0 ? `+${row.delta}` : String(row.delta),
    income: row.delta > 0,
    timeText: (row.created_at || '').replace('T', ' ').slice(0, 16),
  })
}

/** "120 积分将于 2026-12-31 过期" lines, soonest first. */
function expiringLines(expiring) {
  return (expiring || []).filter((item) => item.points > 0).map((item) => `${item.points} 积分将于 ${item.expires_on} 过期`)
}

/** The checkout's points cell from the preview's `points` offer (null: the shop has no points deduction). */
function checkoutPoints(offer, using) {
  if (!offer) return null
  const usable = offer.max_points > 0
  let label = `共 ${offer.balance} 积分`
  if (offer.note) label = `${label}，${offer.note}`
  else if (usable) label = `${label}，本单最多可用 ${offer.max_points} 积分`
  return { usable, using: Boolean(using) && usable, label, points: offer.points_used, savingFen: offer.saving_fen,
    max: offer.max_points }
}

module.exports = { WEEKDAYS, calendar, shiftMonth, beijingToday, entryView, expiringLines, checkoutPoints }
