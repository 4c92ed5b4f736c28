// What the coupon pages show of a coupon, computed from the API's answer (never priced here:
// the server says what a coupon saves at checkout).

const TABS = [
  { key: 'usable', title: '可使用' },
  { key: 'used', title: '已使用' },
  { key: 'expired', title: '已过期' },
]

// 2026-12-31T23:59:59+08:00 -> 2026.12.31 (the time the coupon ends is the start of the next day)
function dayText(iso) {
  if (!iso) return ''
  return iso.slice(0, 10).replace(/-/g, '.')
}

function claimButton(coupon) {
  if (coupon.can_claim) return { text: '立即领取', disabled: false }
  if (coupon.left === 0) return { text: '已领完', disabled: true }
  return { text: coupon.claimed ? '已领取' : '不可领取', disabled: true }
}

function centreCard(coupon) {
  const button = claimButton(coupon)
  return Object.assign({}, coupon, {
    buttonText: button.text,
    buttonDisabled: button.disabled,
    leftText: coupon.left === null || coupon.left === undefined ? '' : `剩余${coupon.left}张`,
  })
}

function mineCard(coupon) {
  return Object.assign({}, coupon, {
    periodText: `${dayText(coupon.valid_from)} - ${dayText(coupon.valid_until)}`,
    dimmed: coupon.status !== 'unused' || Boolean(coupon.reason),
  })
}

// The me page's counts: more than 99 reads 99+
function countText(count) {
  return count > 99 ? '99+' : String(count || 0)
}

module.exports = { TABS, dayText, claimButton, centreCard, mineCard, countText }
