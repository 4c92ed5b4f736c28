// utils/api.js: the token header, our error shape → ApiError + toast, and one silent re-login
// and retry on a 401. wx.request is a programmed fake (the wx boundary); nothing else is faked.
const { createWx, freshRequire } = require('../helpers/wx-shim')

function respond(statusCode, data) {
  return { statusCode, data, header: {} }
}

function setup(handler, opts = {}) {
  global.wx = createWx({ request: handler, ...opts })
  const api = freshRequire('../../utils/api')
  require('../../config').sandboxUser = opts.sandboxUser || '' // real wx.login codes unless a test says
  return { api, wx: global.wx }
}

afterEach(() => {
  delete global.wx
})

test('resolves with the parsed body and sends the stored token as a bearer token', async () => {
  const { api, wx } = setup(() => respond(200, { items: [1, 2] }))
  wx.setStorageSync('token', 'tok-1')
  await expect(api.get('/api/v1/cart')).resolves.toEqual({ items: [1, 2] })
  expect(wx.requests[0].header.Authorization).toBe('Bearer tok-1')
  expect(wx.requests[0].url).toBe('http://127.0.0.1:5000/api/v1/cart')
})

test('short paths are under /api/v1 and query values are encoded, empty ones dropped', async () => {
  const { api, wx } = setup(() => respond(200, {}))
  await api.get('/products', { keyword: '茶 叶', category_id: '', page: 2 })
  expect(wx.requests[0].url).toBe('http://127.0.0.1:5000/api/v1/products?keyword=%E8%8C%B6%20%E5%8F%B6&page=2')
})

test('our error shape rejects with ApiError and shows its message as a toast', async () => {
  const { api, wx } = setup(() => respond(422, {
    error: { code: 'validation_failed', message: '请检查填写的内容', fields: { receiver_phone: '手机号格式不对' } },
  }))
  wx.setStorageSync('token', 'tok')
  const err = await api.post('/api/v1/addresses', { receiver_phone: '1' }).catch((e) => e)
  expect(err).toBeInstanceOf(api.ApiError)
  expect(err).toMatchObject({ status: 422, code: 'validation_failed', message: '请检查填写的内容' })
  expect(err.fields).toEqual({ receiver_phone: '手机号格式不对' })
  expect(wx.toasts).toEqual([expect.objectContaining({ title: '请检查填写的内容', icon: 'none' })])
})

test('silent requests reject without a toast', async () => {
  const { api, wx } = setup(() => respond(404, { error: { code: 'not_found', message: '不存在', fields: {} } }))
  await expect(api.get('/api/v1/products/9', {}, { silent: true })).rejects.toMatchObject({ code: 'not_found' })
  expect(wx.toasts).toEqual([])
})

test('a network failure is an ApiError with status 0 and a friendly toast', async () => {
  const { api, wx } = setup(() => { throw new Error('ECONNREFUSED') })
  await expect(api.get('/api/v1/home')).rejects.toMatchObject({ status: 0, code: 'network_error' })
  expect(wx.toasts[0].title).toMatch(/网络/)
})

test('a 401 logs in again silently once and retries the request with the new token', async () => {
  let cartCalls = 0
  const { api, wx } = setup((opts) => {
    if (opts.url.endsWith('/auth/wx-login')) {
      expect(opts.data).toEqual({ code: 'dev:shopper' })
      return respond(200, { token: 'fresh', expires_in: 3600, user: { id: 7, nickname: 'x' } })
    }
    cartCalls++
    if (opts.header.Authorization === 'Bearer fresh') return respond(200, { items: [] })
    return respond(401, { error: { code: 'token_expired', message: '请先登录', fields: {} } })
  })
  wx.setStorageSync('token', 'stale')
  await expect(api.get('/api/v1/cart')).resolves.toEqual({ items: [] })
  expect(cartCalls).toBe(2)
  expect(wx.getStorageSync('token')).toBe('fresh')
  expect(wx.toasts).toEqual([])
})

test('a second 401 after the re-login is not retried again', async () => {
  let logins = 0
  const { api } = setup((opts) => {
    if (opts.url.endsWith('/auth/wx-login')) {
      logins++
      return respond(200, { token: 'fresh-' + logins, expires_in: 3600, user: { id: 7 } })
    }
    return respond(401, { error: { code: 'token_invalid', message: '请先登录', fields: {} } })
  })
  await expect(api.get('/api/v1/me', {}, { silent: true })).rejects.toMatchObject({ status: 401 })
  expect(logins).toBe(1)
})

test('requests that hit a 401 together share one login', async () => {
  let logins = 0
  const { api } = setup((opts) => {
    if (opts.url.endsWith('/auth/wx-login')) {
      logins++
      return respond(200, { token: 'fresh', expires_in: 3600, user: { id: 7 } })
    }
    return opts.header.Authorization === 'Bearer fresh' ? respond(200, { ok: true }) : respond(401, {})
  })
  await Promise.all([api.get('/a'), api.get('/b'), api.post('/c', {})])
  expect(logins).toBe(1)
})

test('a refused login code rejects with the server message', async () => {
  const { api, wx } = setup((opts) => {
    if (opts.url.endsWith('/auth/wx-login')) {
      return respond(400, { error: { code: 'login_code_invalid', message: '登录失败，请重试', fields: {} } })
    }
    return respond(401, {})
  })
  await expect(api.get('/api/v1/me')).rejects.toMatchObject({ code: 'login_code_invalid' })
  expect(wx.toasts[0].title).toBe('登录失败，请重试')
})

test('a 409 price_changed keeps the fresh preview on the error', async () => {
  const { api } = setup(() => respond(409, {
    error: { code: 'price_changed', message: '价格有变化', fields: {} }, preview: { payable_fen: 999 },
  }))
  const err = await api.post('/api/v1/orders', {}, { silent: true }).catch((e) => e)
  expect(err.body.preview.payable_fen).toBe(999)
})

test('api.put, api.patch and api.del use their methods', async () => {
  const { api, wx } = setup(() => respond(200, {}))
  await api.put('/api/v1/addresses/1', { detail: 'x' })
  await api.patch('/api/v1/cart/1', { quantity: 2 })
  await api.del('/api/v1/cart/1')
  expect(wx.requests.map((r) => r.method)).toEqual(['PUT', 'PATCH', 'DELETE'])
})

test('against a sandbox server the app logs in as the configured dev user', async () => {
  const codes = []
  const { api } = setup((opts) => {
    if (opts.url.endsWith('/auth/wx-login')) {
      codes.push(opts.data.code)
      return respond(200, { token: 'fresh', expires_in: 3600, user: { id: 7 } })
    }
    return opts.header.Authorization === 'Bearer fresh' ? respond(200, {}) : respond(401, {})
  }, { sandboxUser: 'xiaohua' })
  await api.get('/api/v1/me')
  expect(codes).toHaveLength(1)
  expect(codes[0]).toMatch(/^dev:xiaohua:[a-z0-9]+$/)
})
