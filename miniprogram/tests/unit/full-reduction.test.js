// Full-reduction as the shopper sees it: tags on the product page, the cart's hint over the
// selected lines, and at checkout the discount line, the free delivery it gave and what more would save.
const { createWx } = require('../helpers/wx-shim')
const { loadPage, flush } = require('../helpers/page-harness')

const json = (statusCode, data) => ({ statusCode, data })

function installWx(table) {
  const wx = createWx({
    request: (opts) => {
      const key = opts.method + ' ' + new URL(opts.url).pathname
      return table[key] || json(404, { error: { code: 'not_found', message: 'no route ' + key, fields: {} } })
    },
  })
  wx.setStorageSync('token', 'tok')
  Object.assign(wx, {
    navigateTo: jest.fn(), switchTab: jest.fn(), setNavigationBarTitle: jest.fn(), showShareMenu: jest.fn(),
    setTabBarBadge: jest.fn(), removeTabBarBadge: jest.fn(), stopPullDownRefresh: jest.fn(), showModal: jest.fn(),
  })
  global.wx = wx
  return wx
}

afterEach(() => {
  delete global.wx
})

const product = {
  id: 5, title: '龙井', subtitle: '', cover_url: '', min_price_fen: 5000, original_price_fen: 0, sales: 1, is_hot: false,
  is_new: false, sold_out: false, image_urls: [], detail_html: '', share: { title: '龙井', image_url: '' }, ships_free: true,
  stock: 3, spec_matrix: [], skus: [{ id: 51, specs: {}, price_fen: 5000, original_price_fen: 0, stock: 3, weight_g: 0, image_url: '' }],
}

test('the product page tags the activities covering it', async () => {
  installWx({
    'GET /api/v1/products/5': json(200, product),
    'GET /api/v1/products/5/promotions': json(200, { activities: [
      { id: 1, name: '全店满减', tiers: ['满99减10', '满199减30'], ends_at: '2027-01-01T00:00:00+08:00' }] }),
  })
  const page = loadPage('product/index')
  page.onLoad({ id: '5' })
  await flush()
  expect(page.data.promotions).toEqual([{ id: 1, text: '满99减10，满199减30' }])
})

test('a product page whose promotions cannot be read still shows the product, untagged', async () => {
  installWx({ 'GET /api/v1/products/5': json(200, product) })
  const page = loadPage('product/index')
  page.onLoad({ id: '5' })
  await flush()
  expect(page.data.status).toBe('')
  expect(page.data.promotions).toEqual([])
})

test('the cart shows what more the selected lines need', async () => {
  installWx({
    'GET /api/v1/cart': json(200, {
      items: [{ id: 1, sku_id: 11, product_id: 3, title: '龙井', spec_text: '', image_url: '', price_fen: 8400,
        seen_price_fen: 8400, quantity: 2, stock: 10, selected: true, purchasable: true, flags: [] }],
      totals: { lines: 1, quantity: 2, amount_fen: 16800 },
      promotions: [{ kind: 'full_reduction', label: '满199减20', hint: '再买¥31减20' },
        { kind: 'full_reduction', label: '满2件打9折', hint: '已打9折' }],
    }),
  })
  const page = loadPage('cart/index')
  page.onShow()
  await flush()
  expect(page.data.promotionTip).toBe('再买¥31减20；已打9折')
})

test('checkout lists the full-reduction discount, the free delivery it gave and only the hints still open', async () => {
  installWx({
    'POST /api/v1/orders/preview': json(200, {
      lines: [], address: null, items_total_fen: 30000, freight_fen: 0, freight_waived_by: '满299包邮',
      discounts: [{ kind: 'full_reduction', label: '满199减30', amount_fen: 3000, points: 0 }], coupons: [],
      promotions: [{ kind: 'full_reduction', label: '满199减30', hint: '已减30' },
        { kind: 'full_reduction', label: '满3件打8折', hint: '再买1件打8折' }],
      discount_fen: 3000, payable_fen: 27000, pay_methods: ['wechat'],
    }),
    'GET /api/v1/me': json(200, { id: 1, has_phone: true }),
  })
  const page = loadPage('checkout/index')
  page.onLoad({ from: 'cart' })
  await flush()
  expect(page.data.preview.discounts.map((d) => [d.label, d.amount_fen])).toEqual([['满199减30', 3000]])
  expect(page.data.preview.freight_waived_by).toBe('满299包邮')
  expect(page.data.promotionHints).toEqual([{ kind: 'full_reduction', label: '满3件打8折', hint: '再买1件打8折' }])
})
