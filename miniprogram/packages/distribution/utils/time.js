/**
 * Times from the distribution API (ISO 8601, or the HTTP-date form Flask gives a datetime,
 * e.g. "Fri, 27 Nov 2026 05:30:00 GMT") shown in Beijing time, whatever the phone's zone.
 */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function parse(value) {
  if (!value) return null
  let text = String(value)
  // A bare ISO time without a zone is UTC here; iOS needs the "T" form with a zone.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) text = `${text.replace(' ', 'T')}Z`
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? null : date
}

const pad = (n) => (n < 10 ? `0${n}` : String(n))

/** "2026-11-27 13:30" in Beijing time, or '' when there is no time. */
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
