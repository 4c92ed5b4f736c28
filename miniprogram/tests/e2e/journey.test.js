/**
 * The whole journey through the mini-program's own code (app.js, utils/api.js, utils/pay.js,
 * utils/scene.js) against our real server in sandbox mode: a shopper opens an agent's share,
 * logs in, is bound, browses, adds to cart, checks out and pays through the sandbox; the agent
 * sees the pending commission; the merchant ships, the shopper confirms receipt, the freeze
 * passes and the agent withdraws. The merchant's console and the clock are merchant.py.
 */
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { STATE_FILE, serverEnv, REPO } = require('./server-env')
const { createHttpWx } = require('./wx-http')
const { loadPage, until } = require('../helpers/page-harness')

const { base, instance } = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'))

function merchant(...args) {
  const run = spawnSync(path.join(REPO, '.venv/bin/python'), [path.join(__dirname, 'merchant.py'), ...args],
    { cwd: REPO, env: serverEnv(instance, base), encoding: 'utf8', timeout: 120000 })
  if (run.status !== 0) throw new Error(`merchant.py ${args.join(' ')} failed:\n${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

/** One person holding the mini-program: their own wx (storage, login) and module instances. */
function person(devName) {
  const wx = createHttpWx(base, devName)
  const modules = {}
  global.wx = wx
  jest.isolateModules(() => {
    const config = require('../../config')
    config.apiBase = base
    config.sandboxUser = '' // wx.login itself hands out this person's sandbox codes
    modules.api = require('../../utils/api')
    modules.pay = require('../../utils/pay')
    modules.scene = require('../../utils/scene')
    let appDefinition = null
    global.App = (definition) => { appDefinition = definition }
    require('../../app')
    delete global.App
    modules.app = appDefinition
  })
  return {
    wx,
    ...modules,
    /** Run a step as this person (the `wx` global is theirs while it runs). */
    async act(step) {
      global.wx = wx
      return step(modules)
    },
  }
}

jest.setTimeout(120000)

describe('a shopper brought by an agent buys; the agent earns and withdraws', () => {
  const shared = {}

  test('the agent is one of the demo shop\'s agents', async () => {
    shared.agentInfo = merchant('agent')
    expect(shared.agentInfo.invite_code).toMatch(/^[A-Za-z0-9]{6,8}$/)
    shared.agent = person('agent-unused')
    shared.agent.wx.setStorageSync('token', shared.agentInfo.token)
    shared.before = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/me'))
    expect(shared.before.is_agent).toBe(true)
  })

  test('the shopper opens the agent\'s share, logs in and is bound to the agent', async () => {
    shared.shopperName = 'e2e-shopper-' + Date.now().toString(36)
    const shopper = person(shared.shopperName)
    shared.shopper = shopper
    await shopper.act(async ({ app, scene }) => {
      const options = { path: 'pages/product/index', scene: 1007, query: { r: shared.agentInfo.invite_code, p: '1' } }
      app.onLaunch(options) // remembers the referrer, logs in, binds
      await app.ready
      expect(scene.pending()).toBeNull()
      const binds = shopper.wx.requests.filter((r) => r.url.endsWith('/api/v1/distribution/bind'))
      expect(binds.map((r) => r.data)).toEqual([{ code: shared.agentInfo.invite_code, source: 'link' }])
    })
    expect(shopper.wx.getStorageSync('token')).toBeTruthy()
    const me = await shopper.act(({ api }) => api.get('/api/v1/me'))
    shared.shopperId = me.id
    const team = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/team', { level: 1, size: 50 }))
    expect(team.items.map((member) => member.user_id || member.id)).toContain(me.id)
  })

  test('the shopper browses, adds to the cart, checks out (with the phone button) and pays with WeChat Pay', async () => {
    const { shopper } = shared
    Object.assign(shopper.wx, { redirectTo: jest.fn(), navigateTo: jest.fn(), setNavigationBarTitle: jest.fn(),
      showShareMenu: jest.fn(), showModal: jest.fn((opts) => opts.success && opts.success({ confirm: true })) })
    global.wx = shopper.wx
    const pageConfig = { config: { apiBase: base, sandboxUser: '' } }

    // browse: the home and list pages' APIs, then the product page adds the chosen SKU to the cart
    const summary = await shopper.act(async ({ api }) => {
      const home = await api.get('/api/v1/home')
      expect(home.categories.length).toBeGreaterThan(0)
      const list = await api.get('/api/v1/products', { sort: 'sales', page: 1, size: 20 })
      return list.items.find((item) => !item.sold_out)
    })
    const productPage = loadPage('product/index', pageConfig)
    productPage.onLoad({ id: String(summary.id) })
    await until(() => productPage.data.product, 15000, 'the product')
    const sku = productPage.data.product.skus.find((candidate) => candidate.stock > 0)
    productPage.onPickerConfirm({ detail: { sku, quantity: 1, action: 'cart' } })
    await until(() => productPage.data.cartCount === 1, 15000, 'the cart count')

    await shopper.act(async ({ api }) => {
      const cart = await api.get('/api/v1/cart')
      expect(cart.items.map((line) => [line.sku_id, line.purchasable])).toEqual([[sku.id, true]])
      await api.post('/api/v1/addresses', {
        receiver_name: '小花', receiver_phone: '13800138000', region_code: '440305', detail: '科技园一路 1 号',
        is_default: true,
      })
    })

    // checkout and payment through the mini-program's own pages
    global.wx = shopper.wx
    const checkout = loadPage('checkout/index', pageConfig)
    checkout.onLoad({ from: 'cart' })
    await until(() => checkout.data.status === '' && checkout.data.preview, 15000, 'the checkout preview')
    const preview = checkout.data.preview
    expect(checkout.data.address.region_code).toBe('440305') // the default address
    expect(preview.lines).toHaveLength(1)
    expect(preview.payable_fen).toBe(preview.items_total_fen + preview.freight_fen - preview.discount_fen)
    expect(checkout.data.methods.map((m) => m.key)).toContain('wechat')
    expect(checkout.data.method).toBe('wechat')

    await until(() => checkout.data.needPhone, 5000, 'the phone prompt')
    checkout.onPhone({ detail: { code: 'dev:' + shared.shopperName + ':phone' } }) // getPhoneNumber's code
    await until(() => !checkout.data.needPhone, 5000, 'the phone to be stored')

    checkout.onSubmit()
    const redirect = await until(() => shopper.wx.redirectTo.mock.calls[0], 20000, 'the pay result page')
    const orderId = Number(/id=(\d+)/.exec(redirect[0].url)[1])
    expect(redirect[0].url).toBe('/pages/pay-result/index?id=' + orderId + '&method=wechat')

    const result = loadPage('pay-result/index', pageConfig)
    result.onLoad({ id: String(orderId) })
    await until(() => result.data.state !== 'checking', 20000, 'the pay status')
    expect(result.data.state).toBe('paid')
    shared.order = await shopper.act(({ api }) => api.get('/api/v1/orders/' + orderId))
    expect(shopper.wx.payments).toHaveLength(1)
    expect(shared.order.status).toBe('paid')
    expect(shared.order.paid_fen).toBe(shared.order.payable_fen)
  })

  test('the agent\'s centre shows the pending commission on the order', async () => {
    const after = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/me'))
    const lines = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/commissions', { status: 'pending' }))
    const line = lines.items.find((item) => item.order_id === shared.order.id)
    expect(line).toBeTruthy()
    expect(line.net_fen).toBeGreaterThan(0)
    expect(after.account.pending_fen - shared.before.account.pending_fen).toBe(line.net_fen)
    shared.commissionFen = line.net_fen
  })

  test('the merchant ships, the shopper confirms receipt, the freeze passes', async () => {
    merchant('ship', String(shared.order.id))
    await shared.shopper.act(async ({ api }) => {
      expect((await api.get('/api/v1/orders/' + shared.order.id)).status).toBe('shipped')
      const received = await api.post('/api/v1/orders/' + shared.order.id + '/receive', {})
      expect(received.status || (received.order && received.order.status)).toBe('completed')
    })
    const frozen = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/me'))
    expect(frozen.account.frozen_fen - shared.before.account.frozen_fen).toBe(shared.commissionFen)
    expect(merchant('release', '366').released).toBeGreaterThanOrEqual(1)
    const available = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/me'))
    // the sweep also releases the demo shop's own frozen lines: the order's line is among them
    expect(available.account.available_fen - shared.before.account.available_fen)
      .toBeGreaterThanOrEqual(shared.commissionFen)
    const released = await shared.agent.act(({ api }) => api.get('/api/v1/distribution/commissions', { status: 'available' }))
    expect(released.items.map((item) => item.order_id)).toContain(shared.order.id)
    shared.available = available.account.available_fen
  })

  test('the agent withdraws to the store balance and the merchant pays it', async () => {
    const { agent } = shared
    const withdrawal = await agent.act(({ api, pay }) => api.post('/api/v1/distribution/withdrawals', {
      amount_fen: shared.available, method: 'balance', idempotency_key: pay.newIdempotencyKey('wd'),
    }).catch((err) => { throw new Error(err.message + ' ' + JSON.stringify(err.fields)) }))
    expect(withdrawal.amount_fen).toBe(shared.available)
    if (withdrawal.status !== 'paid') merchant('approve', String(withdrawal.id))
    const records = await agent.act(({ api }) => api.get('/api/v1/distribution/withdrawals'))
    expect(records.items.find((item) => item.id === withdrawal.id).status).toBe('paid')
    const after = await agent.act(({ api }) => api.get('/api/v1/distribution/me'))
    expect(after.account.available_fen).toBe(0)
  })
})
