// What the group buy (拼团) pages show, computed from the API's answers. The server prices and
// seats; the countdown runs from the server's clock (server_time), never the phone's.
const { yuan } = require('../../utils/money')

// 3725 seconds -> 01:02:05; a day or more reads 1天02:03:04
function countdown(seconds) {
  const left = Math.max(0, Math.floor(seconds || 0))
  const days = Math.floor(left / 86400)
  const pad = (n) => String(n).padStart(2, '0')
  const clock = `${pad(Math.floor((left % 86400) / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`
  return days ? `${days}天${clock}` : clock
}

// Seconds from the server's now to the group's expiry (both Beijing ISO times with their offset)
function secondsLeft(group) {
  const expires = Date.parse(group.expires_at)
  const now = Date.parse(group.server_time)
  if (Number.isNaN(expires) || Number.isNaN(now)) return 0
  return Math.max(0, Math.floor((expires - now) / 1000))
}

// Members' avatars, then an empty placeholder for every seat still open
function seats(group) {
  const taken = (group.members || []).map((member) => ({ empty: false, avatar_url: member.avatar_url,
    nickname: member.nickname, is_leader: member.is_leader }))
  const empty = []
  for (let i = 0; i < Math.max(0, group.seats_left || 0); i++) empty.push({ empty: true })
  return taken.concat(empty).map((seat, index) => Object.assign(seat, { key: index }))
}

const STATE_TEXT = {
  succeeded: '拼团成功，订单将尽快发货',
  failed: '拼团失败，款项将原路退回',
}

// The group's state words and its main button: join (to checkout), already in, full, or over.
function groupState(group) {
  if (group.status === 'succeeded' || group.status === 'failed') {
    return { headline: group.status_label, hint: STATE_TEXT[group.status], button: { action: 'start', text: '我也开个团', disabled: false } }
  }
  if (secondsLeft(group) <= 0) {
    return { headline: '拼团时间已到', hint: '正在确认拼团结果', button: group.i_am_in
      ? { action: '', text: '我已参团', disabled: true } : { action: 'start', text: '我来开团', disabled: false } }
  }
  const headline = group.seats_left > 0 ? `还差 ${group.seats_left} 人成团` : '已满员，等待成团'
  const inviteHint = group.seats_left > 0 ? '邀请好友参团，人满即成团' : ''
  if (group.i_am_in) return { headline, hint: inviteHint, button: { action: '', text: '我已参团', disabled: true } }
  if (group.can_join) return { headline, hint: '', button: { action: 'join', text: '参与拼团', disabled: false } }
  if (group.seats_left <= 0) return { headline, hint: '这个团已满员，可以自己开一个', button: { action: 'start', text: '我来开团', disabled: false } }
  return { headline, hint: '', button: { action: 'start', text: '我来开团', disabled: false } }
}

function groupCard(group) {
  const left = group.status === 'forming' ? secondsLeft(group) : 0
  return Object.assign({}, group, groupState(group), {
    seats: seats(group),
    secondsLeft: left,
    countdownText: left > 0 ? countdown(left) : '',
    canInvite: group.status === 'forming' && group.seats_left > 0 && left > 0,
  })
}

// A forming group as a row of an activity: its leader, seats left, time left
function formingRow(group) {
  const leader = (group.members || []).find((member) => member.is_leader) || (group.members || [])[0] || {}
  const left = secondsLeft(group)
  return Object.assign({}, group, { leaderName: leader.nickname || '', leaderAvatar: leader.avatar_url || '',
    countdownText: countdown(left), secondsLeft: left })
}

function activityCard(activity) {
  return Object.assign({}, activity, {
    groupText: yuan(activity.group_price_fen),
    priceText: yuan(activity.price_fen),
    leaderText: activity.leader_price_fen === null || activity.leader_price_fen === undefined
      ? '' : yuan(activity.leader_price_fen),
    sizeText: `${activity.group_size}人团`,
    forming: (activity.forming || []).map(formingRow),
  })
}

// The normal checkout, as a group buy order: ref "12" starts a group of activity 12, "12:345" joins group 345
function checkoutUrl(skuId, ref) {
  return `/pages/checkout/index?sku_id=${skuId}&quantity=1&activity_kind=group_buy&activity_ref=${ref}`
}

function shareMessage(group, activity) {
  const title = group && group.seats_left > 0
    ? `还差${group.seats_left}人，快来${(activity && activity.groupText) ? '¥' + activity.groupText + ' ' : ''}拼${(activity && activity.title) || '好物'}`
    : `一起拼${(activity && activity.title) || '好物'}`
  return { title, path: `/packages/group/detail?id=${group.id}`, imageUrl: (activity && activity.image_url) || '' }
}

function myGroupCard(entry) {
  const group = entry.group
  return Object.assign({}, entry, {
    id: group.id,
    sizeText: `${group.joined}/${group.size}人`,
    stateText: group.status === 'forming' ? `还差${group.seats_left}人` : group.status_label,
    statusLabel: group.status_label,
    memberLabel: entry.member_status === 'seated' ? '' : entry.member_status_label,
  })
}

module.exports = { countdown, secondsLeft, seats, groupState, groupCard, formingRow, activityCard, checkoutUrl,
  shareMessage, myGroupCard }
