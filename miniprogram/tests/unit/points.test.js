// Points: the sign-in calendar and button, the points detail with its reasons and what expires,
// and the checkout's points switch that asks for as many points as the preview allows.
const points = require('../../packages/points/utils/points')
const { createWx } = require('../helpers/wx-shim')
const { loadPage, flush } = require('../helpers/page-harness')
const { mountPage, wxWithRoutes, settle, allText, textOf } = require('../helpers/page-render')

function json(statusCode, data) {
  return { statusCode, data }
}

function installWx(table) {
  const wx = createWx({
    request: (opts) => {
      const url = new URL(opts.url)
      const handler = table[opts.method + ' ' + url.pathname]
      if (!handler) return json(404, { error: { code: 'not_found', message: 'no route', fields: {} } })
      return typeof handler === 'function' ? handler(opts, url) : handler
    },
  })
  wx.setStorageSync('token', 'tok')
  Object.assign(wx, { navigateTo: jest.fn(), redirectTo: jest.fn(), showModal: jest.fn(), stopPullDownRefresh: jest.fn() })
  global.wx = wx
  return wx
}

afterEach(() => {
  delete global.wx
})

describe('points views', () => {
  test('a month calendar starts on its weekday, marks the signed days and today', () => {
    const weeks = points.calendar('2026-12', [1, 2, 7], '2026-12-07')
    expect(weeks[0].slice(0, 3)).toEqual([{ day: 0 }, { day: 0 }, { day: 1, signed: true, today: false }]) // 1 Dec 2026 is a Tuesday
    expect(weeks[1][1]).toEqual({ day: 7, signed: true, today: true })
    expect(weeks.every((week) => week.length === 7)).toBe(true)
    expect(weeks.flat().filter((cell) => cell.day).length).toBe(31)
  })

  test('months move across years', () => {
    expect(points.shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(points.shiftMonth('2026-12', 1)).toBe('2027-01')
  })

  test('ledger rows and what expires read in Chinese', () => {
    expect(points.entryView({ id: 1, delta: -300, created_at: '2026-12-07T10:05:00+08:00' }))
      .toMatchObject({ deltaText: '-300', income: false, timeText: '2026-12-07 10:05' })
    expect(points.entryView({ id: 2, delta: 5 }).deltaText).toBe('+5')
    expect(points.expiringLines([{ points: 70, expires_on: '2026-12-31' }, { points: 0, expires_on: '2027-12-31' }]))
      .toEqual(['70 积分将于 2026-12-31 过期'])
  })

  test('the checkout cell says what can be used, or why not', () => {
    expect(points.checkoutPoints(null)).toBeNull()
    expect(points.checkoutPoints({ balance: 800, max_points: 500, points_used: 0, saving_fen: 0, note: '' }, false))
      .toMatchObject({ usable: true, using: false, label: '共 800 积分，本单最多可用 500 积分', max: 500 })
    expect(points.checkoutPoints({ balance: 800, max_points: 0, points_used: 0, saving_fen: 0, note: '商品满¥50.00可使用积分。' }, true))
      .toMatchObject({ usable: false, using: false, label: '共 800 积分，商品满¥50.00可使用积分。' })
  })
})

describe('sign-in page', () => {
  const status = (signed) => ({ signed_today: signed, streak: signed ? 3 : 2, today_points: 10, tomorrow_points: 5,
    month: '2026-12', signed_days: signed ? [5, 6, 7] : [5, 6], enabled: true, rewards: [{ day: 3, points: 5 }] })

  test('shows the streak, the rewards and the calendar, and signing in reloads it', async () => {
    let signed = false
    global.wx = wxWithRoutes({
      'GET /api/v1/sign-in': () => [200, status(signed)],
      'POST /api/v1/sign-in': () => { signed = true; return [201, { signed_in: true, points: 10, streak: 3, balance: 10 }] },
    }, { showToast: jest.fn() })
    const page = mountPage('packages/points/sign-in')
    page.instance.onLoad()
    await settle()
    expect(textOf(page, '.head__streak')).toBe('已连续签到 2 天')
    expect(textOf(page, '.head__reward')).toContain('今日签到可得 10 积分，明日签到可得 5 积分')
    expect(allText(page, '.head__rule')).toEqual(['连续 3 天 +5'])
    expect(allText(page, '.calendar__cell--signed')).toEqual(['5', '6'])
    page.instance.onSignIn()
    await settle()
    expect(global.wx.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '签到成功 +10' }))
    expect(allText(page, '.calendar__cell--signed')).toEqual(['5', '6', '7'])
    expect(textOf(page, '.head__reward')).toContain('今日已获得 10 积分')
  })
})

describe('points detail page', () => {
  test('lists the ledger with reasons and what expires when', async () => {
    installWx({
      'GET /api/v1/points': json(200, { balance: 120, expiring: [{ points: 70, expires_on: '2026-12-31' }],
        deduction_enabled: true, points_per_yuan: 100, earning_enabled: false, earn_points_per_yuan: 1 }),
      'GET /api/v1/points/entries': json(200, { items: [
        { id: 2, kind: 'order_points_spent', label: '下单抵扣', reason: 'D1', delta: -30, points_after: 120, created_at: '2026-12-07T10:00:00+08:00' },
        { id: 1, kind: 'sign_in', label: '每日签到', reason: '', delta: 5, points_after: 150, created_at: '2026-12-06T09:00:00+08:00' }],
      page: 1, size: 20, total: 2, total_capped: false, next_cursor: null, prev_cursor: null }),
    })
    const page = loadPage('../packages/points/detail')
    page.onLoad()
    await flush()
    expect(page.data.summary.balance).toBe(120)
    expect(page.data.expiring).toEqual(['70 积分将于 2026-12-31 过期'])
    expect(page.data.list.items.map((row) => [row.label, row.deltaText])).toEqual([['下单抵扣', '-30'], ['每日签到', '+5']])
  })
})

describe('checkout points switch', () => {
  const preview = (used) => ({
    lines: [{ sku_id: 11, product_id: 3, title: '龙井', spec_text: '', image_url: '', unit_price_fen: 5000, quantity: 1, line_total_fen: 5000, discount_fen: used }],
    address: null, items_total_fen: 5000, freight_fen: 0, discounts: used ? [{ kind: 'points', label: `${used}积分`, amount_fen: used }] : [],
    coupons: [], discount_fen: used, payable_fen: 5000 - used, pay_methods: ['wechat'],
    points: { balance: 800, max_points: 500, points_used: used, saving_fen: used, points_per_yuan: 100, note: '' },
  })

  test('turning points on asks for the most allowed and shows the saving; off asks for none', async () => {
    const wx = installWx({
      'POST /api/v1/orders/preview': (opts) => json(200, preview(Math.min(opts.data.points || 0, 500))),
      'GET /api/v1/me': json(200, { id: 1, has_phone: true }),
    })
    const page = loadPage('checkout/index')
    page.onLoad({ sku_id: '11', quantity: '1' })
    await flush()
    expect(page.data.points).toMatchObject({ usable: true, using: false, max: 500 })
    page.onUsePoints({ detail: true })
    await flush()
    const asked = wx.requests.filter((r) => r.url.endsWith('/orders/preview')).map((r) => r.data.points)
    expect(asked).toEqual([undefined, 500])
    expect(page.data.preview.payable_fen).toBe(4500)
    expect(page.data.points).toMatchObject({ using: true, savingFen: 500 })
    page.onUsePoints({ detail: false })
    await flush()
    expect(wx.requests.filter((r) => r.url.endsWith('/orders/preview')).pop().data.points).toBeUndefined()
    expect(page.data.preview.payable_fen).toBe(5000)
  })
})
