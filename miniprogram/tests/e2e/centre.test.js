/**
 * The orders, after-sales and distribution-centre pages' own code against our real server in
 * sandbox mode, as the demo shop's agent: each page is loaded from its file, its Page({...})
 * definition driven the way WeChat drives it (onLoad / onShow / handlers, setData with paths),
 * so what the API really answers is what the pages turn into labels, amounts and lists.
 */
const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const { STATE_FILE, serverEnv, REPO } = require('./server-env')
const { createHttpWx } = require('./wx-http')

const { base, instance } = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'))

function merchant(...args) {
  const run = spawnSync(path.join(REPO, '.venv/bin/python'), [path.join(__dirname, 'merchant.py'), ...args],
    { cwd: REPO, env: serverEnv(instance, base), encoding: 'utf8', timeout: 120000 })
  if (run.status !== 0) throw new Error(`merchant.py ${args.join(' ')} failed:\n${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

/** setData as WeChat applies it: keys may be paths like "list.items" or "form.kind". */
function applyData(data, changes) {
  Object.keys(changes).forEach((key) => {
    const parts = key.split('.')
    let node = data
    parts.slice(0, -1).forEach((part) => {
      if (node[part] === undefined || node[part] === null) node[part] = {}
      node = node[part]
    })
    node[parts[parts.length - 1]] = JSON.parse(JSON.stringify(changes[key] === undefined ? null : changes[key]))
  })
}

/** A page instance: the definition's methods on an object with data and setData. */
function openPage(stem) {
  let definition = null
  jest.isolateModules(() => {
    require('../../config').apiBase = base
    global.Page = (def) => { definition = def }
    require(path.join('../..', stem))
    delete global.Page
  })
  const page = Object.assign({}, definition)
  page.data = JSON.parse(JSON.stringify(definition.data || {}))
  page.setData = (changes) => applyData(page.data, changes)
  return page
}

async function until(check, what) {
  for (let i = 0; i < 100; i++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('timed out waiting for ' + what)
}

jest.setTimeout(60000)

const KNOWN_COMMISSION_LABELS = ['待结算', '冻结中', '可提现', '已失效']

describe("the agent's pages against the real API", () => {
  beforeAll(() => {
    const agent = merchant('agent')
    global.wx = Object.assign(createHttpWx(base, 'agent-unused'), {
      navigateTo: jest.fn(), redirectTo: jest.fn(), showModal: jest.fn(), stopPullDownRefresh: jest.fn(),
    })
    wx.setStorageSync('token', agent.token)
    wx.setStorageSync('user', { id: agent.user_id, nickname: '分销·店长', avatar_url: '' })
  })

  afterAll(() => {
    delete global.wx
  })

  test('the centre shows the summary in yuan and the team counts', async () => {
    const page = openPage('packages/distribution/index')
    await page.load()
    expect(page.data.status).toBe('')
    expect(page.data.summary.isAgent).toBe(true)
    expect(page.data.summary.inviteCode).toMatch(/^[A-Za-z0-9]{6,8}$/)
    expect(page.data.summary.availableText).toMatch(/^-?\d+\.\d{2}$/)
    expect(page.data.summary.buckets.map((b) => b.label)).toEqual(['待结算', '冻结中', '提现中', '已提现'])
    expect(page.data.summary.team.total).toBeGreaterThanOrEqual(page.data.summary.team.level1)
  })

  test('commission lines by status carry known labels', async () => {
    const page = openPage('packages/distribution/commissions')
    await page.refresh()
    expect(page.data.list.status).not.toBe('error')
    expect(page.data.list.items.length).toBeGreaterThan(0) // the demo tree pays this agent at level 2
    page.data.list.items.forEach((line) => {
      expect(KNOWN_COMMISSION_LABELS).toContain(line.statusText)
      expect(line.amountText).toMatch(/^\d+\.\d{2}$/)
    })
    page.setData({ active: 3 }) // 可提现
    await page.refresh()
    page.data.list.items.forEach((line) => expect(line.statusText).toBe('可提现'))
  })

  test('a list walked one row at a time by the next_cursor the server answers meets every row once', async () => {
    const { loadList } = require('../../pages/orders/paged-list')
    const whole = openPage('packages/distribution/commissions')
    await whole.refresh()
    expect(whole.data.list.items.length).toBeGreaterThan(1)
    const walker = openPage('packages/distribution/commissions')
    await loadList(walker, 'list', walker.fetcher(), { reset: true, size: 1 })
    for (let guard = 0; !walker.data.list.done && guard < 50; guard++) {
      expect(walker.data.list.cursor).toMatch(/^[A-Za-z0-9_.-]+$/)
      await loadList(walker, 'list', walker.fetcher(), { size: 1 })
    }
    expect(walker.data.list.status).not.toBe('error')
    expect(walker.data.list.items.map((line) => line.id)).toEqual(whole.data.list.items.map((line) => line.id))
    expect(walker.data.list.cursor).toBe(null)
    expect(walker.data.list.page).toBe(whole.data.list.items.length) // one request per row: it did page
  })

  test('promotion orders, team by level, rankings and withdrawal records load', async () => {
    const orders = openPage('packages/distribution/orders')
    await orders.refresh()
    expect(orders.data.list.status).not.toBe('error')
    expect(orders.data.list.items.length).toBeGreaterThan(0)
    orders.data.list.items.forEach((row) => expect(row.commissionText).toMatch(/^\d+\.\d{2}$/))

    const team = openPage('packages/distribution/team')
    await team.refresh()
    expect(team.data.list.status).not.toBe('error')
    expect(team.data.list.items.length).toBeGreaterThan(0)
    team.data.list.items.forEach((member) => expect(member.spendText).toMatch(/^\d+\.\d{2}$/))

    const rankings = openPage('packages/distribution/rankings')
    for (const by of ['commission', 'invites']) {
      for (const period of ['week', 'month']) {
        rankings.setData({ by, period })
        await rankings.load()
        expect(rankings.data.status).toBe('')
      }
    }

    const records = openPage('packages/distribution/withdrawals')
    await records.refresh()
    expect(records.data.list.status).not.toBe('error')
  })

  test('the withdraw page knows the methods, minimum and fee; a too-small amount never reaches the server', async () => {
    const page = openPage('packages/distribution/withdraw')
    page.onLoad()
    await until(() => page.data.status !== 'loading', 'the withdraw page')
    expect(page.data.status).toBe('')
    expect(page.data.methods.length).toBeGreaterThan(0)
    expect(page.data.rules[0]).toMatch(/^最低提现 ¥\d+\.\d{2}$/)
    const before = wx.requests.length
    page.setData({ 'form.amountText': '0.001' })
    await page.submit()
    expect(page.data.fields.amount_fen).toBe('请输入正确的金额')
    expect(wx.requests.length).toBe(before)
  })

  test('my orders list by tab with counts, and after-sales reasons come from the server', async () => {
    const list = openPage('pages/orders/list')
    list.onLoad({ status: 'all' })
    await list.refresh(false)
    expect(list.data.list.status).not.toBe('error')
    expect(typeof list.data.counts.all).toBe('number')
    list.data.list.items.forEach((order) => expect(order.statusText).toMatch(/^(待付款|待发货|待收货|已完成|已取消|已关闭)$/))

    const afterSales = openPage('packages/after-sales/list')
    await afterSales.refresh()
    expect(afterSales.data.list.status).not.toBe('error')
  })
})
