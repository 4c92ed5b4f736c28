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
    require('../../config').apiBase = base
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
    const shopper = person('e2e-shopper-' + Date.now().toString(36))
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

  test('the shopper browses, adds to the cart, checks out and pays with WeChat Pay', async () => {
    const { shopper } = shared
    await shopper.act(async ({ api, pay }) => {
      const home = await api.get('/api/v1/home')
      expect(home.categories.length).toBeGreaterThan(0)
      const list = await api.get('/api/v1/products', { sort: 'sales', page: 1, size: 20 })
      const summary = list.items.find((item) => !item.sold_out)
      const product = await api.get('/api/v1/products/' + summary.id)
      const sku = product.skus.find((candidate) => candidate.stock > 0)
      const cart = await api.post('/api/v1/cart', { sku_id: sku.id, quantity: 1 })
      expect(cart.items.find((line) => line.sku_id === sku.id).purchasable).toBe(true)

      const address = await api.post('/api/v1/addresses', {
        receiver_name: '小花', receiver_phone: '13800138000', region_code: '440305', detail: '科技园一路 1 号',
        is_default: true,
      })
      const preview = await api.post('/api/v1/orders/preview', { from_cart: true, address_id: address.id })
      expect(preview.lines.map((line) => line.sku_id)).toEqual([sku.id])
      expect(preview.payable_fen).toBe(preview.items_total_fen + preview.freight_fen - preview.discount_fen)
      expect(preview.pay_methods).toContain('wechat')

      const order = await api.post('/api/v1/orders', {
        from_cart: true, address_id: address.id, idempotency_key: pay.newIdempotencyKey('e2e'),
        expected_payable_fen: preview.payable_fen, remark: '',
      })
      expect(order.status).toBe('pending_payment')
      await pay.payOrder(order.id, 'wechat')
      const state = await pay.waitPaid(order.id, { interval: 200 })
      expect(state.status).toBe('paid')
      shared.order = await api.get('/api/v1/orders/' + order.id)
    })
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
