// Coupons: the centre's claim buttons, claiming, and my coupons by tab with counts.
const logic = require('../../packages/coupons/logic')
const { mountPage, wxWithRoutes, settle, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
  delete global.getApp
})

const centreCoupon = { template_id: 3, title: '满199减20', description: '满199减20', kind: 'amount_off', scope: 'all',
  scope_label: '全店通用', validity_text: '领取后7天内有效', points_price: 0, left: 10, claimed: 0, can_claim: true }

describe('claim buttons', () => {
  test.each([
    [{ can_claim: true, left: 5, claimed: 0 }, '立即领取', false],
    [{ can_claim: false, left: 0, claimed: 0 }, '已领完', true],
    [{ can_claim: false, left: 5, claimed: 1 }, '已领取', true],
  ])('%o reads %s', (state, text, disabled) => {
    expect(logic.claimButton(state)).toEqual({ text, disabled })
  })

  test('an unlimited coupon shows no count left; counts past 99 read 99+', () => {
    expect(logic.centreCard(Object.assign({}, centreCoupon, { left: null })).leftText).toBe('')
    expect(logic.countText(100)).toBe('99+')
    expect(logic.countText(7)).toBe('7')
  })
})

describe('coupon centre page', () => {
  test('claiming takes the coupon and the list shows it claimed', async () => {
    let claimed = 0
    const claim = jest.fn(() => { claimed += 1; return [201, { id: 1 }] })
    global.wx = wxWithRoutes({
      'GET /api/v1/coupons/centre': () => [200, { items: [Object.assign({}, centreCoupon,
        { claimed, can_claim: claimed === 0, left: 10 - claimed })] }],
      'POST /api/v1/coupons/centre/3/claim': claim,
    })
    const page = mountPage('packages/coupons/centre')
    await page.instance.onShow()
    expect(allText(page, '.coupon__desc')).toEqual(['满199减20'])
    expect(page.instance.data.coupons[0].buttonText).toBe('立即领取')
    await page.instance.claim(tap({ id: 3 }))
    await settle()
    expect(claim).toHaveBeenCalledTimes(1)
    expect(wx.toasts[0].title).toBe('领取成功')
    expect(page.instance.data.coupons[0]).toMatchObject({ buttonText: '已领取', buttonDisabled: true, leftText: '剩余9张' })
  })

  test('a refused claim shows the server message', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/coupons/centre': { items: [centreCoupon] },
      'POST /api/v1/coupons/centre/3/claim': () => [409, { error: { code: 'coupon_sold_out', message: '该优惠券已被领完。',
        fields: {} } }],
    })
    const page = mountPage('packages/coupons/centre')
    await page.instance.onShow()
    await page.instance.claim(tap({ id: 3 }))
    await settle()
    expect(wx.toasts[0].title).toBe('该优惠券已被领完。')
  })
})

describe('my coupons page', () => {
  test('each tab asks for its coupons and the tabs show the counts', async () => {
    const asked = []
    global.wx = wxWithRoutes({
      'GET /api/v1/coupons/mine': ({ query }) => {
        asked.push(query.tab)
        return [200, { items: [{ id: 8, template_id: 3, title: '满199减20', description: '满199减20', status: 'unused',
          status_label: '未使用', source_label: '领券中心', valid_from: '2026-12-01T10:00:00+08:00',
          valid_until: '2026-12-08T10:00:00+08:00', order_id: null, reason: '' }], page: 1, size: 20, total: 1,
          total_capped: false, next_cursor: null, prev_cursor: null, counts: { usable: 1, used: 2, expired: 0 } }]
      },
    })
    const page = mountPage('packages/coupons/mine')
    page.instance.onShow()
    await settle()
    expect(page.instance.data.counts).toEqual({ usable: 1, used: 2, expired: 0 })
    expect(page.instance.data.list.items[0]).toMatchObject({ periodText: '2026.12.01 - 2026.12.08', dimmed: false })
    page.instance.onTabChange({ detail: { index: 1 } })
    await settle()
    expect(asked).toEqual(['usable', 'used'])
  })
})

describe('the coupon at checkout', () => {
  const offers = [
    { id: 5, title: '全场9折', description: '9折', saving_fen: 500, usable: true, reason: '', expires_at: null },
    { id: 6, title: '无门槛5元', description: '无门槛减5', saving_fen: 300, usable: true, reason: '', expires_at: null },
    { id: 7, title: '满199减20', description: '满199减20', saving_fen: 0, usable: false, reason: '还差¥149可用', expires_at: null },
  ]
  const preview = (couponId) => {
    const saving = (offers.find((c) => c.id === couponId) || { saving_fen: 0 }).saving_fen
    return { lines: [{ sku_id: 11, product_id: 3, title: '龙井', spec_text: '', image_url: '', unit_price_fen: 5000,
      quantity: 1, line_total_fen: 5000, discount_fen: saving, discount_parts: [] }], address: null,
    items_total_fen: 5000, freight_fen: 0, freight_waived_by: '', discounts: [], coupon_id: couponId, coupons: offers,
    points: null, promotions: [], discount_fen: saving, payable_fen: 5000 - saving, pay_methods: ['wechat'] }
  }

  test('the best is shown; the shopper may choose another usable one or none', async () => {
    const bodies = []
    let sheetAnswer = 1
    global.wx = wxWithRoutes({
      'POST /api/v1/orders/preview': ({ body }) => {
        bodies.push(body)
        return [200, preview(body.no_coupon ? null : (body.coupon_id || 5))]
      },
      'GET /api/v1/me': { id: 1, has_phone: true, balance_fen: 0 },
    }, { showActionSheet: jest.fn((opts) => opts.success({ tapIndex: sheetAnswer })) })
    const page = mountPage('pages/checkout/index')
    page.instance.onLoad({ sku_id: '11', quantity: '1' })
    await settle()
    expect(page.instance.data.couponText).toBe('-¥5.00')
    page.instance.onChooseCoupon()
    await settle()
    expect(wx.showActionSheet.mock.calls[0][0].itemList).toEqual(['全场9折（省¥5.00）', '无门槛5元（省¥3.00）', '不使用优惠券'])
    expect(bodies[1]).toMatchObject({ coupon_id: 6 })
    expect(page.instance.data.couponText).toBe('-¥3.00')
    sheetAnswer = 2
    page.instance.onChooseCoupon()
    await settle()
    expect(bodies[2]).toMatchObject({ no_coupon: true })
    expect(page.instance.data.couponText).toBe('2张可用')
  })
})

describe('the product page', () => {
  test('shows the centre coupons the product can use and opens the centre', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/products/5': { id: 5, title: '好茶', subtitle: '', image_urls: [], cover_url: '', spec_matrix: [],
        skus: [{ id: 11, specs: {}, price_fen: 5000, stock: 3 }], min_price_fen: 5000, max_price_fen: 5000, stock: 3,
        sold_out: false, ships_free: true, description_html: '' },
      'GET /api/v1/products/5/coupons': { items: [centreCoupon, Object.assign({}, centreCoupon,
        { template_id: 4, description: '无门槛减5' })] },
    })
    global.getApp = () => ({})
    const page = mountPage('pages/product/index')
    page.instance.onLoad({ id: '5' })
    await settle()
    expect(page.instance.data.couponTags).toEqual(['满199减20', '无门槛减5'])
    page.instance.openCoupons()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/coupons/centre' })
  })
})
