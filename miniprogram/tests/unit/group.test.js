// Group buys (拼团): the list, a group's seats and countdown (from the server's clock, not the
// phone's), joining and starting through the normal checkout as an activity order, the share
// card, the i_am_in / full / formed / failed states, the product page's 拼团 entry and 我的拼团.
const logic = require('../../packages/group/logic')
const { mountPage, wxWithRoutes, settle, textOf, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  jest.useRealTimers()
  jest.restoreAllMocks()
  delete global.wx
  delete global.getApp
})

const member = (nickname, isLeader) => ({ nickname, avatar_url: `https://img/${nickname}.png`, is_leader: isLeader })

// a 3-person group with 2 members: 1 seat left, 1h02m05s to go by the server's clock
const group = { id: 345, activity_id: 12, ref: '12:345', status: 'forming', status_label: '拼团中', size: 3, joined: 2,
  seats_left: 1, expires_at: '2026-12-09T10:00:00+08:00', server_time: '2026-12-09T08:57:55+08:00',
  members: [member('小明', true), member('小红', false)], i_am_in: false, can_join: true }

const otherGroup = Object.assign({}, group, { id: 346, ref: '12:346', joined: 1, seats_left: 2,
  members: [member('阿强', true)], expires_at: '2026-12-09T20:00:00+08:00' })

const activity = { id: 12, name: '双人拼', product_id: 5, sku_id: 9, title: '蓝牙耳机 黑色', image_url: 'https://img/e.jpg',
  price_fen: 19900, group_price_fen: 12900, leader_price_fen: 9900, group_size: 3, time_limit_hours: 24,
  new_shoppers_only: false, ends_at: '2026-12-20T00:00:00+08:00', start_ref: '12', forming: [group, otherGroup] }

function routes(groupChanges, extra) {
  return Object.assign({
    'GET /api/v1/groups/345': Object.assign({}, group, groupChanges || {}),
    'GET /api/v1/group-activities': { items: [activity] },
  }, extra || {})
}

async function openGroup(groupChanges, extra) {
  global.wx = wxWithRoutes(routes(groupChanges, extra))
  const page = mountPage('packages/group/detail')
  page.instance.onLoad({ id: '345' })
  await page.instance.onShow()
  return page
}

describe('group words', () => {
  test('time left runs from the server time to the expiry, whatever the phone says', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2031-01-01T00:00:00Z'))
    expect(logic.secondsLeft(group)).toBe(3725)
    expect(logic.groupCard(group).countdownText).toBe('01:02:05')
    expect(logic.secondsLeft(Object.assign({}, group, { server_time: '2026-12-09T11:00:00+08:00' }))).toBe(0)
  })

  test('members first, then an empty seat for each one left', () => {
    expect(logic.seats(group).map((seat) => seat.empty)).toEqual([false, false, true])
    expect(logic.seats(otherGroup).map((seat) => seat.empty)).toEqual([false, true, true])
  })

  test.each([
    [{}, '还差 1 人成团', 'join', '参与拼团'],
    [{ i_am_in: true, can_join: false }, '还差 1 人成团', '', '我已参团'],
    [{ seats_left: 0, joined: 3, can_join: false }, '已满员，等待成团', 'start', '我来开团'],
    [{ server_time: '2026-12-09T10:00:01+08:00', can_join: false }, '拼团时间已到', 'start', '我来开团'],
    [{ server_time: '2026-12-09T10:00:01+08:00', can_join: false, i_am_in: true }, '拼团时间已到', '', '我已参团'],
    [{ status: 'succeeded', status_label: '已成团', seats_left: 0, can_join: false }, '已成团', 'start', '我也开个团'],
    [{ status: 'failed', status_label: '拼团失败', can_join: false }, '拼团失败', 'start', '我也开个团'],
  ])('%o reads %s with the button %s %s', (changes, headline, action, text) => {
    const card = logic.groupCard(Object.assign({}, group, changes))
    expect(card.headline).toBe(headline)
    expect(card.button).toMatchObject({ action, text })
  })

  test('an activity card shows the group and single prices and the group size', () => {
    expect(logic.activityCard(activity)).toMatchObject({ groupText: '129.00', priceText: '199.00', leaderText: '99.00',
      sizeText: '3人团' })
    expect(logic.activityCard(Object.assign({}, activity, { leader_price_fen: null })).leaderText).toBe('')
  })
})

describe('group pages', () => {
  test('the list shows the group buys running now and 去开团 starts one at checkout', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/group-activities': { items: [activity] } })
    const page = mountPage('packages/group/index')
    await page.instance.onShow()
    expect(textOf(page, '.activity__title')).toBe('蓝牙耳机 黑色')
    expect(textOf(page, '.activity__prices')).toBe('拼团价¥129.00单买价 ¥199.00')
    expect(textOf(page, '.activity__size')).toBe('3人团')
    expect(textOf(page, '.activity')).toContain('去开团')
    page.instance.start(tap({ id: 12 }))
    expect(wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=group_buy&activity_ref=12' })
    page.instance.open(tap({ id: 12 }))
    expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/group/detail?activity_id=12' })
  })

  test('an empty list says there are none', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/group-activities': { items: [] } })
    const page = mountPage('packages/group/index')
    await page.instance.onShow()
    expect(textOf(page)).toContain('暂无拼团活动')
  })

  test('a group shows its members, the empty seats, 还差 N 人 and the countdown from the server time', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2031-01-01T00:00:00Z'))
    const page = await openGroup()
    expect(textOf(page, '.group__headline')).toBe('还差 1 人成团')
    expect(textOf(page, '.group__countdown')).toBe('剩余 01:02:05 结束')
    expect(page.querySelectorAll('.seat__avatar--empty').length).toBe(1)
    expect(page.querySelectorAll('.seat__avatar').length).toBe(3)
    expect(textOf(page, '.seat__leader')).toBe('团长')
    page.instance.onUnload()
  })

  test('the countdown ticks down each second', async () => {
    const page = await openGroup()
    jest.useFakeTimers()
    page.instance.show(Object.assign({}, group), activity)
    jest.advanceTimersByTime(2000)
    expect(page.instance.data.group.countdownText).toBe('01:02:03')
    page.instance.onUnload()
  })

  test('参与拼团 goes to checkout with the group ref; the other forming groups and 我来开团 too', async () => {
    const page = await openGroup()
    expect(page.instance.data.group.button).toMatchObject({ action: 'join', text: '参与拼团' })
    page.instance.onMain()
    expect(wx.navigateTo).toHaveBeenLastCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=group_buy&activity_ref=12:345' })
    // this group is not listed again among the activity's forming groups
    expect(page.instance.data.activity.forming.map((row) => row.id)).toEqual([346])
    expect(allText(page, '.forming__body')[0]).toBe('阿强还差2人 · 剩余 11:02:05')
    page.instance.joinGroup(tap({ ref: '12:346' }))
    expect(wx.navigateTo).toHaveBeenLastCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=group_buy&activity_ref=12:346' })
    page.instance.startGroup()
    expect(wx.navigateTo).toHaveBeenLastCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=group_buy&activity_ref=12' })
    page.instance.onUnload()
  })

  test('the share card opens this group', async () => {
    const page = await openGroup({ i_am_in: true, can_join: false })
    expect(page.instance.onShareAppMessage()).toEqual({ title: '还差1人，快来¥129.00 拼蓝牙耳机 黑色',
      path: '/packages/group/detail?id=345', imageUrl: 'https://img/e.jpg' })
    expect(page.querySelector('.group__invite')).toBeTruthy()
    page.instance.onUnload()
  })

  test('a member sees 我已参团 and cannot join again', async () => {
    const page = await openGroup({ i_am_in: true, can_join: false })
    expect(page.instance.data.group.button).toMatchObject({ text: '我已参团', disabled: true })
    page.instance.onMain()
    expect(wx.navigateTo).not.toHaveBeenCalled()
    page.instance.onUnload()
  })

  test('a full group offers to start another, with no invite', async () => {
    const page = await openGroup({ seats_left: 0, joined: 3, can_join: false })
    expect(textOf(page, '.group__headline')).toBe('已满员，等待成团')
    expect(page.querySelectorAll('.seat__avatar--empty').length).toBe(0)
    expect(page.querySelector('.group__invite')).toBeFalsy()
    page.instance.onMain()
    expect(wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=group_buy&activity_ref=12' })
    page.instance.onUnload()
  })

  test.each([
    ['succeeded', '已成团', '拼团成功，订单将尽快发货'],
    ['failed', '拼团失败', '拼团失败，款项将原路退回'],
  ])('a %s group shows its label and no countdown', async (status, label, hint) => {
    const page = await openGroup({ status, status_label: label, can_join: false, i_am_in: true })
    expect(textOf(page, '.group__headline')).toBe(label)
    expect(textOf(page, '.group__hint')).toBe(hint)
    expect(page.querySelector('.group__countdown')).toBeFalsy()
    expect(page.querySelector('.group__invite')).toBeFalsy()
  })

  test('a group whose activity has ended cannot be joined', async () => {
    const page = await openGroup({}, { 'GET /api/v1/group-activities': { items: [] } })
    expect(page.instance.data.group.button).toMatchObject({ text: '活动已结束', disabled: true })
    page.instance.onUnload()
  })

  test('opened from a product, the activity lists its forming groups', async () => {
    global.wx = wxWithRoutes(routes())
    const page = mountPage('packages/group/detail')
    page.instance.onLoad({ activity_id: '12' })
    await page.instance.onShow()
    expect(page.instance.data.group).toBe(null)
    expect(page.instance.data.activity.forming.map((row) => row.ref)).toEqual(['12:345', '12:346'])
    expect(page.instance.onShareAppMessage().path).toBe('/packages/group/detail?activity_id=12')
  })

  test('我的拼团 lists my groups with their status labels', async () => {
    const mine = { items: [
      { group: group, activity_name: '三人拼', order_id: 77, member_status: 'seated', member_status_label: '已参团' },
      { group: Object.assign({}, otherGroup, { status: 'failed', status_label: '拼团失败' }), activity_name: '三人拼',
        order_id: 78, member_status: 'refunded', member_status_label: '已退款' },
    ], total: 2, next_cursor: null }
    global.wx = wxWithRoutes({ 'GET /api/v1/groups/mine': mine })
    const page = mountPage('packages/group/mine')
    page.instance.onShow()
    await settle()
    expect(allText(page, '.mine__status')).toEqual(['拼团中', '拼团失败'])
    expect(allText(page, '.mine__member')).toEqual(['已退款'])
    expect(page.instance.data.list.items[0]).toMatchObject({ sizeText: '2/3人', stateText: '还差1人' })
    page.instance.open(tap({ id: 345 }))
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/group/detail?id=345' })
  })
})

describe('ways in', () => {
  const product = { id: 5, title: '蓝牙耳机', subtitle: '', image_urls: [], cover_url: '', spec_matrix: [],
    skus: [{ id: 9, specs: {}, price_fen: 19900, stock: 3 }], min_price_fen: 19900, max_price_fen: 19900, stock: 3,
    sold_out: false, ships_free: true, description_html: '' }

  async function openProduct(groupActivities) {
    const extra = groupActivities ? { 'GET /api/v1/products/5/group-activities': groupActivities } : {}
    global.wx = wxWithRoutes(Object.assign({ 'GET /api/v1/products/5': product }, extra))
    global.getApp = () => ({})
    const page = mountPage('pages/product/index')
    page.instance.onLoad({ id: '5' })
    await settle()
    return page
  }

  test('a product with a group buy shows a 拼团 entry with the group price, to the activity', async () => {
    const page = await openProduct({ items: [activity] })
    expect(page.instance.data.groupBuy).toMatchObject({ text: '3人团 ¥129.00', formingText: '2个团正在拼' })
    expect(textOf(page)).toContain('拼团')
    page.instance.openGroupBuy()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/group/detail?activity_id=12' })
  })

  test('several group buys lead to the list, from the lowest price', async () => {
    const page = await openProduct({ items: [activity, Object.assign({}, activity, { id: 13, group_price_fen: 9900,
      group_size: 2, forming: [] })] })
    expect(page.instance.data.groupBuy).toMatchObject({ text: '2人团 ¥99.00 起', url: '/packages/group/index' })
  })

  test('a product without one (or when the answer fails) shows no entry', async () => {
    expect((await openProduct({ items: [] })).instance.data.groupBuy).toBe(null)
    expect((await openProduct(null)).instance.data.groupBuy).toBe(null)
  })

  test('the me page leads to 我的拼团', () => {
    global.wx = wxWithRoutes({})
    const page = mountPage('pages/me/index')
    expect(textOf(page)).toContain('我的拼团')
    page.instance.onGroups()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/group/mine' })
  })
})
