// Page logic, run from the pages' own js against a programmed wx.request (the wx boundary).
const { createWx } = require('../helpers/wx-shim')
const { loadPage, flush } = require('../helpers/page-harness')

function json(statusCode, data) {
  return { statusCode, data }
}

function routes(table) {
  return (opts) => {
    const url = new URL(opts.url)
    const key = opts.method + ' ' + url.pathname
    const handler = table[key]
    if (!handler) return json(404, { error: { code: 'not_found', message: 'no route ' + key, fields: {} } })
    return typeof handler === 'function' ? handler(opts, url) : handler
  }
}

function installWx(table) {
  const wx = createWx({ request: routes(table) })
  wx.setStorageSync('token', 'tok')
  Object.assign(wx, {
    navigateTo: jest.fn(), redirectTo: jest.fn(), switchTab: jest.fn(), navigateBack: jest.fn(),
    showModal: jest.fn((opts) => opts.success && opts.success({ confirm: true })), setNavigationBarTitle: jest.fn(),
    stopPullDownRefresh: jest.fn(), setTabBarBadge: jest.fn(), removeTabBarBadge: jest.fn(), pageScrollTo: jest.fn(),
    showShareMenu: jest.fn(), showLoading: jest.fn(), hideLoading: jest.fn(),
  })
  global.wx = wx
  return wx
}

afterEach(() => {
  delete global.wx
  delete global.getApp
})

const line = (over) => ({
  id: 1, sku_id: 11, product_id: 3, title: '龙井', spec_text: '100g', image_url: '', price_fen: 5000, seen_price_fen: 5000,
  quantity: 1, stock: 10, selected: true, purchasable: true, flags: [], ...over,
})

describe('cart page', () => {
  const cart = {
    items: [
      line({ id: 1 }),
      line({ id: 2, purchasable: true, flags: ['price_changed'], price_fen: 5500, seen_price_fen: 5000 }),
      line({ id: 3, purchasable: false, selected: false, flags: ['off_shelf'] }),
      line({ id: 4, purchasable: false, selected: false, flags: ['insufficient_stock'], stock: 2, quantity: 5 }),
    ],
    totals: { lines: 2, quantity: 2, amount_fen: 10500 },
  }

  test('invalid lines are set apart with their reason; changed prices are noted', async () => {
    installWx({ 'GET /api/v1/cart': json(200, cart) })
    const page = loadPage('cart/index')
    page.onShow()
    await flush()
    expect(page.data.status).toBe('')
    expect(page.data.valid.map((l) => l.id)).toEqual([1, 2])
    expect(page.data.invalid.map((l) => [l.id, l.reason])).toEqual([[3, '商品已下架'], [4, '仅剩 2 件']])
    expect(page.data.valid[1].priceNote).toBe('价格已变动，原价 ¥50.00')
    expect(page.data.allSelected).toBe(true)
    expect(page.data.selectedCount).toBe(2)
  })

  test('clearing invalid lines asks, calls the API and shows the answered cart', async () => {
    const cleared = { items: cart.items.slice(0, 2), totals: cart.totals }
    const wx = installWx({ 'GET /api/v1/cart': json(200, cart), 'POST /api/v1/cart/clear-invalid': json(200, cleared) })
    const page = loadPage('cart/index')
    page.onShow()
    await flush()
    page.onClearInvalid()
    await flush()
    expect(wx.showModal).toHaveBeenCalled()
    expect(wx.requests.map((r) => r.method + ' ' + new URL(r.url).pathname)).toContain('POST /api/v1/cart/clear-invalid')
    expect(page.data.invalid).toEqual([])
  })

  test('a failed first load shows the error state; retry loads again', async () => {
    let fail = true
    installWx({ 'GET /api/v1/cart': () => (fail ? json(500, 'oops') : json(200, { items: [], totals: { lines: 0, quantity: 0, amount_fen: 0 } })) })
    const page = loadPage('cart/index')
    page.onShow()
    await flush()
    expect(page.data.status).toBe('error')
    fail = false
    page.onRetry()
    await flush()
    expect(page.data.status).toBe('')
    expect(page.data.valid).toEqual([])
  })
})

describe('checkout page', () => {
  const preview = (payable) => ({
    lines: [{ sku_id: 11, product_id: 3, title: '龙井', spec_text: '', image_url: '', unit_price_fen: 5000, quantity: 1, line_total_fen: 5000, discount_fen: 0 }],
    address: { id: 8, receiver_name: '小花', receiver_phone: '13800138000', region_code: '440305', region_text: '广东省 深圳市 南山区', detail: 'x' },
    items_total_fen: 5000, freight_fen: 0, discounts: [], coupons: [], discount_fen: 0, payable_fen: payable,
    pay_methods: ['wechat', 'balance'],
  })

  test('a price change at submit shows the new total, asks again and uses a new idempotency key', async () => {
    const keys = []
    const wx = installWx({
      'POST /api/v1/orders/preview': json(200, preview(5000)),
      'GET /api/v1/me': json(200, { id: 1, nickname: 'x', avatar_url: '', has_phone: true }),
      'POST /api/v1/orders': (opts) => {
        keys.push(opts.data.idempotency_key)
        return json(409, { error: { code: 'price_changed', message: '价格有变化', fields: {} }, preview: preview(5600) })
      },
    })
    const page = loadPage('checkout/index')
    page.onLoad({ sku_id: '11', quantity: '1' })
    await flush()
    expect(page.data.preview.payable_fen).toBe(5000)
    expect(page.data.methods.map((m) => m.key)).toEqual(['wechat', 'balance'])
    page.onSubmit()
    await flush()
    expect(page.data.preview.payable_fen).toBe(5600)
    expect(wx.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '价格有变化' }))
    expect(wx.requests.find((r) => r.url.endsWith('/api/v1/orders')).data).toMatchObject({
      from_cart: false, lines: [{ sku_id: 11, quantity: 1 }], address_id: 8, expected_payable_fen: 5000,
    })
    page.onSubmit()
    await flush()
    expect(keys).toHaveLength(2)
    expect(keys[0]).not.toBe(keys[1])
  })

  test('a placed order is paid with the chosen method and the pay result opens', async () => {
    const wx = installWx({
      'POST /api/v1/orders/preview': json(200, preview(5000)),
      'GET /api/v1/me': json(200, { id: 1, nickname: 'x', avatar_url: '', has_phone: false }),
      'POST /api/v1/orders': json(201, { id: 77, status: 'pending_payment' }),
      'POST /api/v1/orders/77/pay': json(200, { order: { id: 77, status: 'paid' }, request_payment: null }),
    })
    const page = loadPage('checkout/index')
    page.onLoad({ from: 'cart' })
    await flush()
    expect(page.data.needPhone).toBe(true)
    page.onMethodTap({ currentTarget: { dataset: { key: 'balance' } } })
    page.onSubmit()
    await flush()
    expect(wx.requests.find((r) => r.url.endsWith('/orders/77/pay')).data).toEqual({ method: 'balance' })
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/pages/pay-result/index?id=77&method=balance' })
  })

  test('an activity order (a bargain) is previewed and placed through the same checkout', async () => {
    const wx = installWx({
      'POST /api/v1/orders/preview': json(200, preview(1000)),
      'GET /api/v1/me': json(200, { id: 1, nickname: 'x', avatar_url: '', has_phone: true }),
      'POST /api/v1/orders': json(201, { id: 78, status: 'pending_payment' }),
      'POST /api/v1/orders/78/pay': json(200, { order: { id: 78, status: 'paid' }, request_payment: null }),
    })
    const page = loadPage('checkout/index')
    page.onLoad({ sku_id: '9', quantity: '1', activity_kind: 'bargain', activity_ref: '42' })
    await flush()
    const activity = { kind: 'bargain', ref: '42' }
    expect(wx.requests.find((r) => r.url.endsWith('/orders/preview')).data).toMatchObject({
      lines: [{ sku_id: 9, quantity: 1 }], activity })
    page.onSubmit()
    await flush()
    expect(wx.requests.find((r) => r.url.endsWith('/api/v1/orders')).data).toMatchObject({ activity })
  })

  test('the phone button stores the number through /me/phone', async () => {
    const wx = installWx({
      'POST /api/v1/orders/preview': json(200, preview(5000)),
      'GET /api/v1/me': json(200, { id: 1, has_phone: false }),
      'POST /api/v1/me/phone': json(200, { id: 1, has_phone: true }),
    })
    const page = loadPage('checkout/index')
    page.onLoad({ from: 'cart' })
    await flush()
    page.onPhone({ detail: { code: 'phone-code' } })
    await flush()
    expect(wx.requests.find((r) => r.url.endsWith('/me/phone')).data).toEqual({ code: 'phone-code' })
    expect(page.data.needPhone).toBe(false)
  })
})

describe('product page sharing', () => {
  const product = {
    id: 5, title: '龙井', subtitle: '', cover_url: 'https://img/c.jpg', min_price_fen: 5000, original_price_fen: 0, sales: 1,
    is_hot: false, is_new: false, sold_out: false, image_urls: [], detail_html: '', share: { title: '好茶', image_url: 'https://img/s.jpg' },
    ships_free: true, stock: 3, spec_matrix: [], skus: [{ id: 51, specs: {}, price_fen: 5000, original_price_fen: 0, stock: 3, weight_g: 0, image_url: '' }],
  }

  async function open(summary) {
    installWx({
      'GET /api/v1/products/5': json(200, product),
      'GET /api/v1/distribution/me': json(200, summary),
      'GET /api/v1/distribution/estimates': json(200, { items: { 5: 500 } }),
      'GET /api/v1/cart': json(200, { items: [], totals: { lines: 0, quantity: 0, amount_fen: 0 } }),
    })
    const page = loadPage('product/index')
    page.onLoad({ id: '5' })
    page.onShow()
    await flush()
    return page
  }

  test('an agent\'s share to a friend and to Moments carries their invite code', async () => {
    const page = await open({ is_agent: true, invite_code: 'AB12CD' })
    expect(page.onShareAppMessage()).toEqual({ title: '好茶', path: '/pages/product/index?id=5&r=AB12CD', imageUrl: 'https://img/s.jpg' })
    expect(page.onShareTimeline()).toEqual({ title: '好茶', query: 'id=5&r=AB12CD', imageUrl: 'https://img/s.jpg' })
    expect(page.data.product.commission_fen).toBe(500) // the 赚 badge
    expect(page.data.isAgent).toBe(true)
  })

  test('a shopper who is not an agent shares without a code', async () => {
    const page = await open({ is_agent: false, invite_code: null })
    expect(page.onShareAppMessage().path).toBe('/pages/product/index?id=5')
    expect(page.data.product.commission_fen).toBeUndefined()
    expect(wx.requests.some((r) => r.url.includes('/estimates'))).toBe(false)
  })

  test('opened from a wxacode, the scene names the product and the referrer', async () => {
    const wx = installWx({
      'GET /api/v1/products/12': json(200, { ...product, id: 12 }),
      'POST /api/v1/distribution/bind': json(200, { result: 'bound', reason: '' }),
    })
    const page = loadPage('product/index')
    page.onLoad({ scene: 'r%3DAB12CD%26p%3D12' })
    await flush()
    expect(page.data.id).toBe(12)
    expect(wx.requests.find((r) => r.url.endsWith('/distribution/bind')).data).toEqual({ code: 'AB12CD', source: 'wxacode' })
    expect(wx.getStorageSync('referral')).toBe('') // bound once the app's login is done, then forgotten
  })
})

describe('product list page', () => {
  test('pages on scroll until the total, then says there is no more', async () => {
    const pages = {
      1: { items: [{ id: 1 }, { id: 2 }], total: 3, page: 1, size: 2 },
      2: { items: [{ id: 3 }], total: 3, page: 2, size: 2 },
    }
    const wx = installWx({
      'GET /api/v1/products': (opts, url) => json(200, pages[url.searchParams.get('page')]),
      'GET /api/v1/distribution/me': json(200, { is_agent: false }),
    })
    const page = loadPage('list/index')
    page.onLoad({ category_id: '4', title: '%E8%8C%B6' })
    await flush()
    expect(page.data.products.items.map((p) => p.id)).toEqual([1, 2])
    expect(page.data.products.status).toBe('')
    page.onReachBottom()
    await flush()
    expect(page.data.products.items.map((p) => p.id)).toEqual([1, 2, 3])
    expect(page.data.products.status).toBe('nomore')
    const first = new URL(wx.requests.find((r) => r.url.includes('/products')).url)
    expect(first.searchParams.get('category_id')).toBe('4')
    expect(first.searchParams.get('sort')).toBe('default')
  })

  test('an agent\'s list shows what they earn on each product', async () => {
    installWx({
      'GET /api/v1/products': json(200, { items: [{ id: 1 }, { id: 2 }], total: 2 }),
      'GET /api/v1/distribution/me': json(200, { is_agent: true, invite_code: 'AB12CD' }),
      'GET /api/v1/distribution/estimates': (opts, url) => {
        expect(url.searchParams.get('product_ids')).toBe('1,2')
        return json(200, { items: { 1: 120, 2: 0 } })
      },
    })
    const page = loadPage('list/index')
    page.onLoad({})
    await flush()
    expect(page.data.isAgent).toBe(true)
    expect(page.data.products.items).toEqual([{ id: 1, commission_fen: 120 }, { id: 2, commission_fen: 0 }])
  })

  test('sorting by price toggles ascending and descending', async () => {
    const wx = installWx({
      'GET /api/v1/products': json(200, { items: [], total: 0 }),
      'GET /api/v1/distribution/me': json(200, { is_agent: false }),
    })
    const page = loadPage('list/index')
    page.onLoad({ keyword: '%E8%8C%B6' })
    await flush()
    expect(page.data.products.empty).toBe(true)
    page.onSort({ currentTarget: { dataset: { key: 'price' } } })
    await flush()
    page.onSort({ currentTarget: { dataset: { key: 'price' } } })
    await flush()
    const sorts = wx.requests.filter((r) => r.url.includes('/products')).map((r) => new URL(r.url).searchParams.get('sort'))
    expect(sorts).toEqual(['default', 'price_asc', 'price_desc'])
  })
})

describe('address edit page', () => {
  test('the region picker\'s county code is sent; the API\'s field errors show inline', async () => {
    const wx = installWx({
      'POST /api/v1/addresses': json(422, { error: { code: 'validation_failed', message: '部分字段填写有误。', fields: { region_code: '该地区暂不配送' } } }),
    })
    const page = loadPage('address/edit')
    page.onLoad({})
    page.onField({ currentTarget: { dataset: { name: 'receiver_name' } }, detail: '小花' })
    page.onField({ currentTarget: { dataset: { name: 'receiver_phone' } }, detail: '13800138000' })
    page.onField({ currentTarget: { dataset: { name: 'detail' } }, detail: '科技园' })
    page.onRegion({ detail: { value: ['广东省', '深圳市', '南山区'], code: ['440000', '440300', '440305'] } })
    page.onSave()
    await flush()
    expect(wx.requests[0].data).toMatchObject({ region_code: '440305', receiver_phone: '13800138000' })
    expect(page.data.errors).toEqual({ region_code: '该地区暂不配送' })
    expect(wx.toasts[0].title).toBe('部分字段填写有误。')
  })

  test('missing fields are flagged before any request', () => {
    const wx = installWx({})
    const page = loadPage('address/edit')
    page.onLoad({})
    page.onSave()
    expect(Object.keys(page.data.errors).sort()).toEqual(['detail', 'receiver_name', 'receiver_phone', 'region_code'])
    expect(wx.requests).toEqual([])
  })
})

describe('paying against a sandbox server', () => {
  test('the shopper confirms and the sandbox is told the payment succeeded', async () => {
    const wx = installWx({
      'POST /api/v1/orders/9/pay': json(200, {
        order: { id: 9, status: 'pending_payment' },
        request_payment: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx123', signType: 'RSA', paySign: 's' },
      }),
      'GET /sandbox/pay': json(200, { transactions: [{ out_trade_no: 'P1', prepay_id: 'wx999' }, { out_trade_no: 'P2', prepay_id: 'wx123' }] }),
      'POST /sandbox/simulate/pay/success': json(200, { trade_state: 'SUCCESS' }),
    })
    wx.requestPayment = jest.fn()
    let pay
    jest.isolateModules(() => {
      require('../../config').sandboxUser = 'xiaohua'
      pay = require('../../utils/pay')
    })
    await pay.payOrder(9, 'wechat')
    expect(wx.showModal).toHaveBeenCalled()
    expect(wx.requestPayment).not.toHaveBeenCalled()
    expect(wx.requests.find((r) => r.url.endsWith('/sandbox/simulate/pay/success')).data).toEqual({ out_trade_no: 'P2' })
  })
})

describe('search page', () => {
  test('hot words load; a search is kept in the history (newest first, once) and opens the list', async () => {
    const wx = installWx({ 'GET /api/v1/search/hot-words': json(200, { words: ['龙井', '普洱'], configured: [], popular: [] }) })
    wx.setStorageSync('search_history', ['普洱', '白茶'])
    const page = loadPage('search/index')
    page.onLoad({})
    await flush()
    expect(page.data.hot).toEqual(['龙井', '普洱'])
    page.onWord({ currentTarget: { dataset: { word: '白茶' } } })
    expect(wx.getStorageSync('search_history')).toEqual(['白茶', '普洱'])
    page.onChange({ detail: ' 红茶 ' })
    page.onSearch({ detail: { x: 1, y: 2 } }) // the 搜索 button's tap
    expect(wx.getStorageSync('search_history')).toEqual(['红茶', '白茶', '普洱'])
    expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/list/index?keyword=' + encodeURIComponent('红茶') })
    page.onClearHistory()
    expect(page.data.history).toEqual([])
  })

  test('an empty search asks for a word', () => {
    const wx = installWx({ 'GET /api/v1/search/hot-words': json(200, { words: [] }) })
    const page = loadPage('search/index')
    page.onLoad({})
    page.onSearch({ detail: '  ' })
    expect(wx.navigateTo).not.toHaveBeenCalled()
    expect(wx.toasts[0].title).toBe('请输入要搜索的商品')
  })
})

describe('me page', () => {
  test('shows points, balance, order counts and where an agent application stands', async () => {
    installWx({
      'GET /api/v1/me': json(200, { id: 1, nickname: '小花', avatar_url: '', has_phone: true, points: 30, balance_fen: 1250 }),
      'GET /api/v1/orders': json(200, { items: [], total: 0, counts: { all: 3, pending_payment: 1, paid: 2 } }),
      'GET /api/v1/distribution/me': json(200, { is_agent: false, agent_status: null, account: { available_fen: 0 } }),
      'GET /api/v1/distribution/application': json(200, { status: 'pending', can_apply: false }),
    })
    const page = loadPage('me/index')
    page.onShow()
    await flush()
    expect(page.data.me).toMatchObject({ points: 30, balance_fen: 1250 })
    expect(page.data.counts.pending_payment).toBe(1)
    expect(page.data.applicationText).toBe('审核中')
    page.onDistribution()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/distribution/apply' })
    page.onOrders({ currentTarget: { dataset: { status: 'paid' } } })
    expect(wx.navigateTo).toHaveBeenLastCalledWith({ url: '/pages/orders/list?status=paid' })
  })

  test('an agent goes to the distribution centre', async () => {
    installWx({
      'GET /api/v1/me': json(200, { id: 1, nickname: '店长', points: 0, balance_fen: 0 }),
      'GET /api/v1/orders': json(200, { items: [], total: 0, counts: {} }),
      'GET /api/v1/distribution/me': json(200, { is_agent: true, invite_code: 'AB12CD', level: '金牌', account: { available_fen: 880 } }),
    })
    const page = loadPage('me/index')
    page.onShow()
    await flush()
    page.onDistribution()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/distribution/index' })
    expect(wx.requests.some((r) => r.url.includes('/distribution/application'))).toBe(false)
  })
})
