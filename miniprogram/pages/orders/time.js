/**
 * Times from the API shown in Beijing time, whatever the phone's zone: ISO 8601 with an offset,
 * with "Z", or bare (UTC), with any fraction of a second (parsed by hand — iOS's Date is strict),
 * and the HTTP-date form Flask gives a datetime ("Fri, 27 Nov 2026 05:30:00 GMT").
 * Shared by the order pages and both subpackages (a subpackage may use the main package's code).
 */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

function parse(value) {
  if (!value) return null
  const text = String(value).trim()
  const match = ISO.exec(text)
  if (match) {
    const [, y, mo, d, h, mi, s, zone] = match
    let offsetMinutes = 0
    if (zone && zone !== 'Z') {
      const sign = zone.charAt(0) === '-' ? -1 : 1
      const digits = zone.slice(1).replace(':', '')
      offsetMinutes = sign * (parseInt(digits.slice(0, 2), 10) * 60 + parseInt(digits.slice(2), 10))
    }
    const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(s || 0)) - offsetMinutes * 60000
    return new Date(utc)
  }
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

const pad = (n) => (n < 10 ? `0${n}` : String(n))

/** "2026-11-27 13:30" in Beijing time; '' for no time; the text itself if it is not a time. */
function beijingTime(value) {
  const date = parse(value)
  if (!date) return value ? String(value) : ''
  const b = new Date(date.getTime() + BEIJING_OFFSET_MS)
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())} ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`
}

/** "2026-11-27" in Beijing time. */
function beijingDate(value) {
  return beijingTime(value).slice(0, 10)
}

module.exports = { parse, beijingTime, beijingDate }
