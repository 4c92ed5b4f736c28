// After-sales: the amount cap in fen, the form's checks, and the apply / detail pages.
const logic = require('../../packages/after-sales/logic')
const { mountPage, wxWithRoutes, settle, textOf, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
})

const item = { id: 71, sku_id: 3, product_id: 5, title: '明前龙井', spec_text: '250g', image_url: '',
  unit_price_fen: 3334, quantity: 3, line_total_fen: 10002, discount_fen: 1, paid_fen: 10001 }

describe('amount cap', () => {
  test.each([
    [1, 3333], // 10001 × 1 / 3, rounded down
    [2, 6667],
    [3, 10001], // every unit: everything paid, so partial refunds add up exactly
    [4, 10001],
    [0, 0],
  ])('%i of 3 units may get back at most %i fen', (quantity, cap) => {
    expect(logic.amountCap(item, quantity)).toBe(cap)
  })

  test('after an earlier request, the last unclaimed units get exactly what is left', () => {
    // one unit already claimed 3333 of 10001: 6668 left for the other two
    const claimed = Object.assign({}, item, { refundable_fen: 6668, claimable_quantity: 2 })
    expect(logic.claimableQuantity(claimed)).toBe(2)
    expect(logic.amountCap(claimed, 1)).toBe(3333)
    expect(logic.amountCap(claimed, 2)).toBe(6668)
    expect(3333 + logic.amountCap(claimed, 2)).toBe(10001)
  })

  test('an item that cost nothing has nothing to refund', () => {
    expect(logic.amountCap(Object.assign({}, item, { paid_fen: 0 }), 1)).toBe(0)
  })
})

describe('points given back', () => {
  // 3 units paid entirely with 3000 points (¥0 in cash)
  const pointsItem = Object.assign({}, item, { paid_fen: 0, discount_fen: 10002, refundable_fen: 0,
    claimable_quantity: 3, refundable_points: 3000,
    discount_parts: [{ kind: 'points', ref: 'points', amount_fen: 10002, points: 3000 }] })

  test('an item paid with points gives its points back by units, the last units what is left', () => {
    expect(logic.itemPoints(pointsItem)).toBe(3000)
    expect(logic.amountCap(pointsItem, 1)).toBe(0)
    expect(logic.pointsBack(pointsItem, 1)).toBe(1000)
    expect(logic.pointsBack(pointsItem, 3)).toBe(3000)
    const claimed = Object.assign({}, pointsItem, { claimable_quantity: 1, refundable_points: 1000 })
    expect(logic.pointsBack(claimed, 1)).toBe(1000)
  })

  test('points that paid part of an item come back with the cash, in proportion', () => {
    const part = Object.assign({}, item, { discount_parts: [{ kind: 'points', ref: 'points', amount_fen: 1, points: 100 }] })
    expect(logic.pointsBack(part, 1)).toBe(33) // 100 × 3333 / 10001
    expect(logic.pointsBack(part, 3)).toBe(100)
    expect(logic.pointsBack(item, 3)).toBe(0) // no points used
  })

  test('an untouched ¥0 request for a points item is sent, "0" typed too', () => {
    const base = { kind: 'refund_only', quantity: 1, reason: '不想要了', description: '', amountText: '', photos: [] }
    expect(logic.validate(base, pointsItem).ok).toBe(true)
    const zero = logic.validate(Object.assign({}, base, { amountText: '0' }), pointsItem)
    expect(zero.ok).toBe(true)
    expect(zero.body.amount_fen).toBeUndefined()
  })
})

describe('the form', () => {
  const base = { kind: 'refund_only', quantity: 1, reason: '不想要了', description: '', amountText: '', photos: [] }

  test('untouched, the amount is left to the server (which knows earlier claims)', () => {
    const check = logic.validate(base, item)
    expect(check.ok).toBe(true)
    expect(check.capFen).toBe(3333)
    expect(check.body).toEqual({ order_item_id: 71, kind: 'refund_only', quantity: 1, reason: '不想要了',
      description: '', photos: [] })
  })

  test('a smaller amount typed in yuan is sent in fen', () => {
    expect(logic.validate(Object.assign({}, base, { amountText: '12.5' }), item).body.amount_fen).toBe(1250)
  })

  test('more than the cap is refused with the cap in yuan', () => {
    const check = logic.validate(Object.assign({}, base, { amountText: '33.34' }), item)
    expect(check.ok).toBe(false)
    expect(check.fields.amount).toBe('最多可退 ¥33.33')
  })

  test('not an amount, or zero, is refused', () => {
    expect(logic.validate(Object.assign({}, base, { amountText: '1.234' }), item).fields.amount).toBe('请输入正确的金额')
    expect(logic.validate(Object.assign({}, base, { amountText: '0' }), item).fields.amount).toBe('退款金额须大于 0')
  })

  test('"其他" needs a description; a reason and a kind are required', () => {
    const check = logic.validate(Object.assign({}, base, { reason: '其他', kind: 'swap' }), item)
    expect(check.fields).toEqual({ description: '请描述遇到的问题', kind: '请选择售后类型' })
    expect(logic.validate(Object.assign({}, base, { reason: '' }), item).fields.reason).toBe('请选择原因')
  })

  test('quantity within the item and photos within the limit', () => {
    expect(logic.validate(Object.assign({}, base, { quantity: 4 }), item).fields.quantity).toBe('最多 3 件')
    const photos = Array.from({ length: 4 }, (_, i) => `https://x/${i}.jpg`)
    expect(logic.validate(Object.assign({}, base, { photos }), item, { maxPhotos: 3 }).fields.photos).toBe('最多 3 张')
  })
})

describe('apply page', () => {
  function routes(orderStatus, extra) {
    return Object.assign({
      'GET /api/v1/orders/7': { id: 7, status: orderStatus, items: [item] },
      'GET /api/v1/after-sales/reasons': { reasons: ['不想要了', '质量问题', '其他'], other: '其他', max_photos: 3 },
    }, extra || {})
  }

  test('a paid (unshipped) order offers refund only, and the cap follows the quantity', async () => {
    global.wx = wxWithRoutes(routes('paid'))
    const page = mountPage('packages/after-sales/apply')
    page.instance.onLoad({ order_id: '7', item_id: '71' })
    await settle()
    expect(page.instance.data.form.kind).toBe('refund_only')
    expect(page.instance.data.kinds.find((k) => k.key === 'return_refund').disabled).toBe(true)
    expect(textOf(page, '.cap')).toBe('最多可退 ¥100.01（按实付金额计算，不含运费）')
    page.instance.onQuantity({ detail: 1 })
    await settle()
    expect(textOf(page, '.cap')).toMatch(/^最多可退 ¥33.33/)
    page.instance.chooseKind(tap({ kind: 'return_refund' }))
    expect(page.instance.data.form.kind).toBe('refund_only')
    expect(wx.toasts[0].title).toBe('商品发货后才能退货退款')
  })

  test('photos are chosen, uploaded with the token, and sent with the application', async () => {
    const posted = jest.fn(({ body }) => [201, Object.assign({ id: 9 }, body)])
    global.wx = wxWithRoutes(routes('shipped', { 'POST /api/v1/after-sales': posted }), {
      chooseMedia: jest.fn((opts) => opts.success({ tempFiles: [{ tempFilePath: 'wxfile://a.jpg' }] })),
      uploadFile: jest.fn((opts) => opts.success({ statusCode: 201,
        data: JSON.stringify({ url: 'http://127.0.0.1:5000/media/uploads/202611/1-a.jpg', width: 10, height: 10 }) })),
    })
    const page = mountPage('packages/after-sales/apply')
    page.instance.onLoad({ order_id: '7', item_id: '71' })
    await settle()
    expect(page.instance.data.form.kind).toBe('return_refund')
    await page.instance.addPhotos()
    expect(wx.chooseMedia.mock.calls[0][0]).toMatchObject({ count: 3, mediaType: ['image'] })
    expect(wx.uploadFile.mock.calls[0][0]).toMatchObject({ url: 'http://127.0.0.1:5000/api/v1/uploads/image',
      name: 'file', header: { Authorization: 'Bearer test-token' } })
    page.instance.onReason({ detail: { value: '1' } })
    await page.instance.submit()
    expect(posted.mock.calls[0][0].body).toEqual({ order_item_id: 71, kind: 'return_refund', quantity: 3,
      reason: '质量问题', description: '', photos: ['http://127.0.0.1:5000/media/uploads/202611/1-a.jpg'] })
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/packages/after-sales/detail?id=9' })
  })

  test('an item paid with points shows the points to come back for the quantity', async () => {
    const pointsItem = Object.assign({}, item, { paid_fen: 0, discount_fen: 10002, refundable_fen: 0,
      claimable_quantity: 3, refundable_points: 3000,
      discount_parts: [{ kind: 'points', ref: 'points', amount_fen: 10002, points: 3000 }] })
    const posted = jest.fn(({ body }) => [201, Object.assign({ id: 9 }, body)])
    global.wx = wxWithRoutes(Object.assign(routes('paid'), { 'GET /api/v1/orders/7': { id: 7, status: 'paid',
      items: [pointsItem] }, 'POST /api/v1/after-sales': posted }))
    const page = mountPage('packages/after-sales/apply')
    page.instance.onLoad({ order_id: '7', item_id: '71' })
    await settle()
    expect(textOf(page, '.cap')).toMatch(/^最多可退 ¥0.00/)
    expect(textOf(page, '.points')).toBe('退回积分 3000')
    page.instance.onQuantity({ detail: 1 })
    await settle()
    expect(textOf(page, '.points')).toBe('退回积分 1000')
    page.instance.onReason({ detail: { value: '0' } })
    await page.instance.submit()
    expect(posted.mock.calls[0][0].body).toEqual({ order_item_id: 71, kind: 'refund_only', quantity: 1,
      reason: '不想要了', description: '', photos: [] })
  })

  test("the server's field messages land on the form's fields", async () => {
    global.wx = wxWithRoutes(routes('shipped', { 'POST /api/v1/after-sales': () => [409, { error: {
      code: 'after_sale_exceeds_item', message: '超出可退金额', fields: { amount_fen: '最多还可退 50.00 元' } } }] }))
    const page = mountPage('packages/after-sales/apply')
    page.instance.onLoad({ order_id: '7', item_id: '71' })
    await settle()
    page.instance.onReason({ detail: { value: '0' } })
    await page.instance.submit()
    await settle()
    expect(textOf(page, '.error')).toBe('最多还可退 50.00 元')
  })
})

describe('after-sale detail page', () => {
  const row = { id: 9, after_sale_no: 'S9', order_id: 7, order_no: 'O7', order_item_id: 71, title: '明前龙井',
    spec_text: '250g', image_url: '', kind: 'return_refund', status: 'approved', status_label: '', quantity: 1,
    amount_fen: 3333, reason: '质量问题', description: '', photos: [], reject_reason: '',
    return_address: '浙江省杭州市西湖区文三路 1 号 售后部 0571-1234', return_courier_code: '', return_tracking_no: '',
    refund_method: 'wechat', can_cancel: true, can_submit_return: true, created_at: '2026-11-27T10:30:00Z',
    reviewed_at: '2026-11-27T11:00:00Z', returned_at: null, received_at: null, refunded_at: null }

  test('approved for a return: shows the return address and takes the tracking number', async () => {
    const sent = jest.fn(({ body }) => [200, Object.assign({}, row, { status: 'returning', can_submit_return: false,
      return_courier_code: body.courier_code, return_tracking_no: body.tracking_no })])
    global.wx = wxWithRoutes({ 'GET /api/v1/after-sales/9': row, 'POST /api/v1/after-sales/9/return': sent })
    const page = mountPage('packages/after-sales/detail')
    page.instance.onLoad({ id: '9' })
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.hero__status')).toBe('待寄回商品')
    expect(textOf(page, '.address')).toBe(row.return_address)
    expect(allText(page, '.step')).toEqual(['提交申请2026-11-27 18:30', '商家审核2026-11-27 19:00'])
    await page.instance.submitReturn()
    expect(page.instance.data.fields).toEqual({ courier_code: '请选择快递公司', tracking_no: '请输入正确的快递单号' })
    page.instance.onCourier({ detail: { value: '0' } })
    page.instance.onTrackingNo({ detail: { value: 'SF1234567' } })
    await page.instance.submitReturn()
    await settle()
    expect(sent.mock.calls[0][0].body).toEqual({ courier_code: 'SF', tracking_no: 'SF1234567' })
    expect(textOf(page, '.hero__status')).toBe('商品寄回中')
    expect(textOf(page, '.tracking')).toBe('已寄回：SF SF1234567')
  })

  test('a refund of an item paid with points shows ¥0 and the points given back', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/after-sales/9': Object.assign({}, row, { kind: 'refund_only',
      status: 'refunded', amount_fen: 0, refund_points: 1000, can_cancel: false, can_submit_return: false,
      refunded_at: '2026-11-27T12:00:00Z' }) })
    const page = mountPage('packages/after-sales/detail')
    page.instance.onLoad({ id: '9' })
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.points')).toBe('退回积分1000')
    expect(textOf(page, '.hero__hint')).toBe('积分已退回您的账户')
  })
})
