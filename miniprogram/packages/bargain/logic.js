// What the bargain pages show, computed from the API's answers (the server cuts and prices;
// nothing is priced here).
const { yuan } = require('../../utils/money')

// 3725 seconds -> 01:02:05; a day or more reads 1天02:03:04
function countdown(seconds) {
  const left = Math.max(0, Math.floor(seconds || 0))
  const days = Math.floor(left / 86400)
  const pad = (n) => String(n).padStart(2, '0')
  const clock = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`
  return days ? `${days}天${clock}` : clock
}

// How far the price has come down from start to floor, 0..100 (whole percent, rounded down)
function progressPercent(bargain) {
  const whole = bargain.start_price_fen - bargain.floor_price_fen
  if (whole <= 0) return 100
  return Math.min(100, Math.floor(((bargain.start_price_fen - bargain.current_price_fen) * 100) / whole))
}

const BUY_TEXT = {
  floor_not_reached: '砍到底价后可购买',
  bargain_ordered: '去支付',
  bargain_bought: '已购买',
  buy_window_over: '已过购买时间',
}

// The main button: the launcher buys (or pays an order already placed); a friend helps.
function mainButton(bargain) {
  if (bargain.mine) {
    if (bargain.can_buy) return { action: 'buy', text: `¥${yuan(bargain.current_price_fen)} 立即购买`, disabled: false }
    if (bargain.buy_refusal === 'bargain_ordered' && bargain.order_id) return { action: 'order', text: '去支付', disabled: false }
    return { action: '', text: BUY_TEXT[bargain.buy_refusal] || '暂不可购买', disabled: true }
  }
  if (bargain.can_help) return { action: 'help', text: '帮TA砍一刀', disabled: false }
  return { action: 'launch', text: bargain.helped ? '已帮砍，我也要砍' : '我也要砍', disabled: false }
}

function bargainCard(bargain) {
  return Object.assign({}, bargain, {
    currentText: yuan(bargain.current_price_fen),
    floorText: yuan(bargain.floor_price_fen),
    helpers: (bargain.helpers || []).map((helper) => Object.assign({}, helper, { cutText: yuan(helper.cut_fen) })),
    percent: progressPercent(bargain),
    leftText: bargain.left_to_cut_fen > 0 ? `还差¥${yuan(bargain.left_to_cut_fen)}到底价` : '已砍到底价',
    helpersText: `${bargain.helpers_count}/${bargain.helpers_needed}人已助力`,
    countdownText: bargain.seconds_left > 0 ? countdown(bargain.seconds_left) : '',
    button: mainButton(bargain),
  })
}

function activityCard(activity) {
  return Object.assign({}, activity, {
    startText: yuan(activity.start_price_fen),
    floorText: yuan(activity.floor_price_fen),
    canLaunch: activity.status === 'live' && activity.launches_left !== 0,
  })
}

module.exports = { countdown, progressPercent, mainButton, bargainCard, activityCard }
