// Every list that pages (my orders, my after-sales, and the distribution centre's commission,
// team, promotion-order and withdrawal lists) loads its next page with the `next_cursor` the
// last answer gave, never a page number, and stops when the answer has none.
const { mountPage, wxWithRoutes, settle } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
})

const GMT = 'Fri, 27 Nov 2026 05:30:00 GMT'
const shapes = {
  order: (id) => ({ id, order_no: `O${id}`, status: 'paid', status_label: '待发货', payable_fen: 100, total_quantity: 1,
    created_at: '2026-11-27T18:30:00+08:00', items: [] }),
  afterSale: (id) => ({ id, after_sale_no: `A${id}`, status: 'requested', kind: 'refund', amount_fen: 100,
    created_at: GMT }),
  line: (id) => ({ id, order_id: id, order_no: `O${id}`, title: '龙井', level: 1, amount_fen: 100, net_fen: 100,
    status: 'pending', frozen_until: null, created_at: GMT }),
  member: (id) => ({ user_id: id, nickname: `会员${id}`, bound_at: GMT, orders: 0, spend_fen: 0 }),
  promotion: (id) => ({ order_id: id, order_no: `O${id}`, buyer_nickname: '张*', order_status: 'paid', paid_fen: 100,
    refunded_fen: 0, paid_at: GMT, levels: [1], commission_fen: 10, commission_net_fen: 10,
    commission_status: 'pending' }),
  withdrawal: (id) => ({ id, withdrawal_no: `W${id}`, method: 'balance', amount_fen: 100, fee_fen: 0, net_fen: 100,
    status: 'paid', reject_reason: '', created_at: GMT, paid_at: GMT }),
}

const open = {
  onLoadOnShow: (page) => { page.instance.onLoad({}); page.instance.onShow() },
  onShow: (page) => page.instance.onShow(),
  onLoad: (page) => page.instance.onLoad({}),
}

/** Three pages of two items, chained by cursors; `asked` records each request's query. */
function threePages(shape, asked) {
  const pages = {
    '': { items: [shape(6), shape(5)], next_cursor: 'c2' },
    c2: { items: [shape(4), shape(3)], next_cursor: 'c3' },
    c3: { items: [shape(2), shape(1)], next_cursor: null },
  }
  return ({ query }) => {
    asked.push(query)
    const page = pages[query.cursor || '']
    return [200, Object.assign({ page: 1, size: 20, total: 6, total_capped: false, prev_cursor: null, counts: {} }, page)]
  }
}

describe.each([
  ['pages/orders/list', '/api/v1/orders', shapes.order, open.onLoadOnShow],
  ['packages/after-sales/list', '/api/v1/after-sales', shapes.afterSale, open.onShow],
  ['packages/distribution/commissions', '/api/v1/distribution/commissions', shapes.line, open.onLoad],
  ['packages/distribution/team', '/api/v1/distribution/team', shapes.member, open.onLoad],
  ['packages/distribution/orders', '/api/v1/distribution/promotion-orders', shapes.promotion, open.onLoad],
  ['packages/distribution/withdrawals', '/api/v1/distribution/withdrawals', shapes.withdrawal, open.onShow],
])('%s', (path, route, shape, opener) => {
  function mount(asked) {
    global.wx = wxWithRoutes({
      [`GET ${route}`]: threePages(shape, asked),
      'GET /api/v1/distribution/me': { team: { level1: 6, level2: 0, total: 6 } },
    })
    const page = mountPage(path)
    opener(page)
    return page
  }

  test('scrolling down follows next_cursor to the last page, then asks no more', async () => {
    const asked = []
    const page = mount(asked)
    await settle()
    for (let i = 0; i < 3; i += 1) {
      page.instance.onReachBottom()
      await settle()
    }
    expect(asked.map((query) => query.cursor)).toEqual([undefined, 'c2', 'c3'])
    expect(asked.every((query) => query.page === undefined)).toBe(true)
    expect(page.instance.data.list.items).toHaveLength(6)
    expect(page.instance.data.list).toMatchObject({ done: true, status: 'nomore', cursor: null })
  })

  test('pulling down starts again from the first page', async () => {
    const asked = []
    const page = mount(asked)
    await settle()
    page.instance.onReachBottom()
    await settle()
    page.instance.onPullDownRefresh()
    await settle()
    expect(asked.map((query) => query.cursor)).toEqual([undefined, 'c2', undefined])
    expect(page.instance.data.list.items).toHaveLength(2)
    expect(page.instance.data.list).toMatchObject({ done: false, cursor: 'c2' })
  })
})

test('a first page with no next_cursor is the whole list', async () => {
  const { loadList, initialList } = require('../../pages/orders/paged-list')
  const ctx = { data: { list: initialList() }, setData(patch) { Object.assign(this.data, expand(this.data, patch)) } }
  const fetchPage = jest.fn(() => Promise.resolve({ items: [{ id: 1 }], total: 1, next_cursor: null }))
  await loadList(ctx, 'list', fetchPage, { reset: true })
  await loadList(ctx, 'list', fetchPage, {})
  expect(fetchPage.mock.calls).toEqual([[null, 20]])
  expect(ctx.data.list).toMatchObject({ done: true, status: '', items: [{ id: 1 }] })
})

/** setData's "key.path" patches applied to plain data. */
function expand(data, patch) {
  const out = Object.assign({}, data)
  Object.keys(patch).forEach((key) => {
    const [head, tail] = key.split('.')
    out[head] = tail ? Object.assign({}, out[head], { [tail]: patch[key] }) : patch[key]
  })
  return out
}
