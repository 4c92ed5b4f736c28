// Money arrives from the API in integer fen; this is the one formatter that shows it in yuan.
// Integer (string) arithmetic only, so 0.1 + 0.2 never shows up on a price tag.

function digitsOf(fen) {
  if (typeof fen === 'number') {
    if (!isFinite(fen)) return null
    return String(Math.round(fen))
  }
  const text = String(fen === undefined || fen === null ? '' : fen).trim()
  return /^-?\d+$/.test(text) ? text : null
}

/** yuan(1234) → "12.34"; yuan(-5) → "-0.05"; yuan(null) → "0.00". */
function yuan(fen) {
  let digits = digitsOf(fen)
  if (digits === null) return '0.00'
  let sign = ''
  if (digits.charAt(0) === '-') {
    sign = '-'
    digits = digits.slice(1)
  }
  digits = digits.replace(/^0+/, '')
  while (digits.length < 3) digits = '0' + digits
  if (/^0+$/.test(digits)) sign = ''
  return sign + digits.slice(0, -2) + '.' + digits.slice(-2)
}

/** "12.34" (what a shopper types) → 1234 fen, or null when it is not an amount. */
function fenFromYuan(text) {
  const match = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/.exec(String(text === undefined || text === null ? '' : text))
  if (!match) return null
  const cents = ((match[2] || '') + '00').slice(0, 2)
  return parseInt(match[1], 10) * 100 + parseInt(cents, 10)
}

module.exports = { yuan, fenFromYuan }
