// Bargains: the countdown and progress words, the main button for the launcher and a friend,
// helping from the friend's page, and buying through the normal checkout as an activity order.
const logic = require('../../packages/bargain/logic')
const { mountPage, wxWithRoutes, settle, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
  delete global.getApp
})

const bargain = { id: 42, activity_id: 3, sku_id: 9, activity_name: '砍价', title: '蓝牙耳机 黑色', image_url: 'https://img/e.jpg',
  launcher_nickname: '小明', launcher_avatar_url: '', start_price_fen: 10000, floor_price_fen: 1000,
  current_price_fen: 7300, cut_so_far_fen: 2700, left_to_cut_fen: 6300, helpers_needed: 10, helpers_count: 3,
  status: 'bargaining', status_label: '砍价中', expires_at: '2026-12-09T10:00:00+08:00', seconds_left: 3725,
  buy_until: '2026-12-10T10:00:00+08:00', mine: false, helped: false, can_help: true, can_buy: false,
  buy_refusal: '', order_id: null, helpers: [{ nickname: '小红', avatar_url: '', cut_fen: 1234, helped_at: '' }] }

describe('bargain words', () => {
  test.each([[3725, '01:02:05'], [0, '00:00:00'], [90061, '1天01:01:01'], [-5, '00:00:00']])('%i s reads %s', (s, text) => {
    expect(logic.countdown(s)).toBe(text)
  })

  test('progress runs from the start price to the floor', () => {
    expect(logic.progressPercent(bargain)).toBe(30)
    expect(logic.progressPercent(Object.assign({}, bargain, { current_price_fen: 1000 }))).toBe(100)
  })

  test.each([
    [{}, 'help', '帮TA砍一刀'],
    [{ can_help: false, helped: true }, 'launch', '已帮砍，我也要砍'],
    [{ mine: true, can_help: false, can_buy: true }, 'buy', '¥73.00 立即购买'],
    [{ mine: true, can_help: false, buy_refusal: 'floor_not_reached' }, '', '砍到底价后可购买'],
    [{ mine: true, can_help: false, buy_refusal: 'bargain_ordered', order_id: 77 }, 'order', '去支付'],
  ])('%o: the main button %s reads %s', (changes, action, text) => {
    expect(logic.mainButton(Object.assign({}, bargain, changes))).toMatchObject({ action, text })
  })

  test('a card says what is left and who helped', () => {
    const card = logic.bargainCard(bargain)
    expect(card).toMatchObject({ leftText: '还差¥63.00到底价', helpersText: '3/10人已助力', currentText: '73.00',
      countdownText: '01:02:05' })
    expect(card.helpers[0].cutText).toBe('12.34')
  })
})

describe('bargain pages', () => {
  test('a friend helps and sees the new price', async () => {
    const help = jest.fn(() => [201, { cut_fen: 500, bound: false, bargain: Object.assign({}, bargain,
      { current_price_fen: 6800, helpers_count: 4, helped: true, can_help: false }) }])
    global.wx = wxWithRoutes({ 'GET /api/v1/bargains/42': bargain, 'POST /api/v1/bargains/42/help': help })
    const page = mountPage('packages/bargain/detail')
    page.instance.onLoad({ id: '42' })
    await page.instance.onShow()
    expect(allText(page, '.bargain__price')).toEqual(['当前价 ¥73.00'])
    await page.instance.onMain()
    await settle()
    expect(help).toHaveBeenCalledTimes(1)
    expect(wx.toasts[0].title).toBe('砍掉了¥5.00')
    expect(page.instance.data.bargain).toMatchObject({ currentText: '68.00', helpersText: '4/10人已助力' })
    page.instance.onUnload()
  })

  test('the launcher buys through the normal checkout as an activity order', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/bargains/42': Object.assign({}, bargain,
      { mine: true, can_help: false, can_buy: true, seconds_left: 0 }) })
    const page = mountPage('packages/bargain/detail')
    page.instance.onLoad({ id: '42' })
    await page.instance.onShow()
    await page.instance.onMain()
    expect(wx.navigateTo).toHaveBeenCalledWith({
      url: '/pages/checkout/index?sku_id=9&quantity=1&activity_kind=bargain&activity_ref=42' })
  })

  test('launching from the list opens the new bargain', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/bargain-activities': { items: [{ id: 3, name: '砍价', product_id: 1, sku_id: 9, title: '蓝牙耳机',
        image_url: '', shelf_price_fen: 12000, start_price_fen: 10000, floor_price_fen: 1000, helpers_needed: 10,
        time_limit_hours: 24, buy_at_current: false, status: 'live', status_label: '进行中', starts_at: '',
        ends_at: '', launches_left: 1 }] },
      'POST /api/v1/bargain-activities/3/launch': () => [201, bargain],
    })
    const page = mountPage('packages/bargain/index')
    await page.instance.onShow()
    expect(page.instance.data.activities[0]).toMatchObject({ floorText: '10.00', canLaunch: true })
    await page.instance.launch(tap({ id: 3 }))
    await settle()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/bargain/detail?id=42' })
  })
})
