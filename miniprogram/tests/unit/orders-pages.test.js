// The order pages: status labels and the buttons each status offers, the list by tab with its
// loading / empty / error states, and the detail's confirm-receipt and cancel dialogs.
const status = require('../../pages/orders/status')
const { mountPage, wxWithRoutes, settle, textOf, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
})

function order(overrides) {
  return Object.assign({
    id: 7, order_no: 'O20261127001', status: 'pending_payment', status_label: 'Pending payment', payable_fen: 12990,
    total_quantity: 2, created_at: '2026-11-27T18:30:00+08:00',
    items: [{ id: 71, sku_id: 3, product_id: 5, title: '明前龙井', spec_text: '250g', image_url: '',
      unit_price_fen: 6495, quantity: 2, line_total_fen: 12990, discount_fen: 0, paid_fen: 12990 }],
  }, overrides)
}

function detail(overrides) {
  return Object.assign(order(), {
    items_total_fen: 12990, freight_fen: 1000, discount_fen: 1000,
    discounts: [{ kind: 'full_reduction', label: '满100减10', amount_fen: 1000 }], paid_fen: 12990, refunded_fen: 0,
    pay_method: 'wechat', address: { receiver_name: '张三', receiver_phone: '13800000000', region_code: '330106',
      region_text: '浙江省 杭州市 西湖区', detail: '文三路 1 号' },
    shopper_remark: '', pay_deadline: '2026-11-27T19:00:00+08:00', pay_seconds_left: 0,
    paid_at: '2026-11-27T18:31:00+08:00', shipped_at: '2026-11-28T09:00:00+08:00', completed_at: null,
    cancelled_at: null, closed_at: null,
  }, overrides)
}

describe('order status', () => {
  test.each([
    ['pending_payment', '待付款', ['取消订单', '去支付']],
    ['paid', '待发货', ['申请售后']],
    ['shipped', '待收货', ['查看物流', '确认收货']],
    ['completed', '已完成', ['查看物流', '申请售后']],
    ['cancelled', '已取消', []],
    ['closed', '已关闭', []],
  ])('%s is shown as %s with buttons %j', (code, label, buttons) => {
    expect(status.statusLabel(code)).toBe(label)
    expect(status.orderActions(code).map((action) => action.label)).toEqual(buttons)
  })

  test('the primary button is the one that moves the order on', () => {
    expect(status.orderActions('pending_payment').filter((a) => a.primary).map((a) => a.key)).toEqual(['pay'])
    expect(status.orderActions('shipped').filter((a) => a.primary).map((a) => a.key)).toEqual(['receive'])
  })

  test('an unknown status falls back to the server label and offers nothing', () => {
    expect(status.statusLabel('lost', '丢失')).toBe('丢失')
    expect(status.orderActions('lost')).toEqual([])
  })

  test('after-sales only for paid, shipped and completed orders, and only for items that were paid', () => {
    expect(status.canApplyAfterSale({ status: 'paid' }, { paid_fen: 100 })).toBe(true)
    expect(status.canApplyAfterSale({ status: 'pending_payment' }, { paid_fen: 100 })).toBe(false)
    expect(status.canApplyAfterSale({ status: 'closed' }, { paid_fen: 100 })).toBe(false)
    expect(status.canApplyAfterSale({ status: 'completed' }, { paid_fen: 0 })).toBe(false)
    // paid entirely with points: refunded for ¥0, the points come back
    expect(status.canApplyAfterSale({ status: 'completed' }, { paid_fen: 0, refundable_points: 300 })).toBe(true)
    expect(status.canApplyAfterSale({ status: 'completed' }, { paid_fen: 0, refundable_points: 0 })).toBe(false)
    expect(status.canReturnGoods('paid')).toBe(false)
    expect(status.canReturnGoods('shipped')).toBe(true)
  })

  test('the timeline lists what happened, oldest first', () => {
    const steps = status.timeline(detail({ completed_at: '2026-11-30T10:00:00+08:00' }))
    expect(steps.map((step) => step.text)).toEqual(['提交订单', '完成付款', '商家发货', '确认收货'])
    expect(steps[0].time).toBe('2026-11-27 18:30')
  })

  test('times read in Beijing time whatever offset, fraction or form the API sends', () => {
    const { beijingTime } = require('../../pages/orders/time')
    expect(beijingTime('2026-11-27T18:30:00+08:00')).toBe('2026-11-27 18:30')
    expect(beijingTime('2026-11-27T10:30:00.123456Z')).toBe('2026-11-27 18:30')
    expect(beijingTime('2026-11-27T20:30:00-0200')).toBe('2026-11-28 06:30')
    expect(beijingTime('Fri, 27 Nov 2026 10:30:00 GMT')).toBe('2026-11-27 18:30')
    expect(beijingTime('')).toBe('')
  })

  test('the time left to pay counts down as mm:ss', () => {
    expect(status.countdown(905)).toBe('15:05')
    expect(status.countdown(3725)).toBe('1:02:05')
    expect(status.countdown(-3)).toBe('00:00')
  })
})

describe('orders list page', () => {
  test('opens on the tab asked for and shows each order with its label, amount and buttons', async () => {
    const asked = []
    global.wx = wxWithRoutes({
      'GET /api/v1/orders': ({ query }) => {
        asked.push(query.status)
        return [200, { items: [order()], page: 1, size: 20, total: 1,
          counts: { all: 3, pending_payment: 1, paid: 1, shipped: 1, completed: 0 } }]
      },
    })
    const page = mountPage('pages/orders/list')
    page.instance.onLoad({ status: 'pending_payment' })
    page.instance.onShow()
    await settle()
    expect(asked).toEqual(['pending_payment'])
    expect(page.instance.data.active).toBe(1)
    expect(textOf(page, '.order__status')).toBe('待付款')
    expect(textOf(page, '.order__sum')).toContain('¥129.90')
    expect(allText(page, '.order__actions >>> .vant-stub')).toEqual(['取消订单', '去支付'])
    expect(page.instance.data.counts.pending_payment).toBe(1)
  })

  test('an empty tab says so and offers to go shopping', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/orders': { items: [], page: 1, size: 20, total: 0, counts: {} } })
    const page = mountPage('pages/orders/list')
    page.instance.onLoad({})
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.orders >>> .empty__text')).toBe('暂无相关订单')
    page.instance.goShopping()
    expect(wx.switchTab).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })

  test('a failed load shows the error with a retry that loads again', async () => {
    let calls = 0
    global.wx = wxWithRoutes({
      'GET /api/v1/orders': () => {
        calls += 1
        return calls === 1 ? [500, { error: { code: 'boom', message: '服务开小差了', fields: {} } }]
          : [200, { items: [order({ status: 'shipped' })], page: 1, size: 20, total: 1, counts: {} }]
      },
    })
    const page = mountPage('pages/orders/list')
    page.instance.onLoad({})
    page.instance.onShow()
    await settle()
    expect(page.instance.data.list.status).toBe('error')
    expect(textOf(page, '.orders >>> .state__retry')).toBe('重试')
    expect(wx.toasts).toEqual([]) // the list shows the error itself
    page.instance.onRetry()
    await settle()
    expect(textOf(page, '.order__status')).toBe('待收货')
  })

  test('the 售后 tab lists after-sale requests', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/orders': { items: [], page: 1, size: 20, total: 0, counts: {} },
      'GET /api/v1/after-sales': { items: [{ id: 3, after_sale_no: 'S1', status: 'requested', status_label: '',
        kind: 'return_refund', title: '明前龙井', spec_text: '250g', image_url: '', quantity: 1, amount_fen: 6495 }],
      page: 1, size: 20, total: 1 },
    })
    const page = mountPage('pages/orders/list')
    page.instance.onLoad({})
    page.instance.onShow()
    await settle()
    page.instance.onTabChange({ detail: { index: 5 } })
    await settle()
    expect(textOf(page, '.order__status')).toBe('待商家审核')
    expect(textOf(page, '.order__sum')).toBe('退款金额 ¥64.95')
  })

  test('paying a pending order asks WeChat Pay with the parameters the server answers', async () => {
    const params = { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' }
    global.wx = wxWithRoutes({
      'GET /api/v1/orders': { items: [order()], page: 1, size: 20, total: 1, counts: {} },
      'POST /api/v1/orders/7/pay': ({ body }) => [200, { order: { id: 7, status: 'pending_payment' },
        request_payment: body.method === 'wechat' ? params : null }],
    }, { requestPayment: jest.fn((opts) => opts.success({ errMsg: 'requestPayment:ok' })) })
    const page = mountPage('pages/orders/list')
    page.instance.onLoad({})
    page.instance.onShow()
    await settle()
    await page.instance.onAction(tap({ action: 'pay', id: 7 }))
    expect(wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining({ package: 'prepay_id=wx1', paySign: 's' }))
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay-result/index?id=7' })
  })
})

describe('order detail page', () => {
  function routes(extra) {
    return Object.assign({
      'GET /api/v1/orders/7': detail({ status: 'shipped' }),
      'GET /api/v1/orders/7/tracking': { order_id: 7, status: 'shipped', status_label: '', parcels: [{ id: 1,
        courier_code: 'SF', courier_name: '顺丰速运', tracking_no: 'SF100', shipped_at: '2026-11-28T09:00:00+08:00',
        lines: [{ order_item_id: 71, title: '明前龙井', spec_text: '250g', quantity: 2 }],
        trace: { state: 'in_transit', state_label: '运输中', events: [
          { time: '2026-11-28T09:00:00+08:00', text: '已揽收' }, { time: '2026-11-28T20:00:00+08:00', text: '到达杭州' }] } }] },
    }, extra || {})
  }

  test('shows address, amounts in yuan, the parcel with its latest trace and the timeline', async () => {
    global.wx = wxWithRoutes(routes())
    const page = mountPage('pages/orders/detail')
    page.instance.onLoad({ id: '7' })
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.hero__status')).toBe('待收货')
    expect(textOf(page, '.address__text')).toBe('浙江省 杭州市 西湖区 文三路 1 号')
    expect(allText(page, '.amounts__row')).toEqual(expect.arrayContaining(['商品金额¥129.90', '运费+¥10.00', '满100减10-¥10.00']))
    expect(textOf(page, '.amounts__total')).toBe('实付款¥129.90')
    expect(textOf(page, '.parcel__title')).toBe('顺丰速运 SF100')
    expect(textOf(page, '.parcel__latest')).toBe('到达杭州 2026-11-28 20:00')
    expect(allText(page, '.timeline__step')).toEqual(['提交订单2026-11-27 18:30', '完成付款2026-11-27 18:31',
      '商家发货2026-11-28 09:00'])
    expect(allText(page, '.bar >>> .vant-stub')).toEqual(['查看物流', '确认收货'])
  })

  test('confirming receipt asks first; saying no sends nothing', async () => {
    const received = jest.fn(() => [200, { id: 7, status: 'completed' }])
    global.wx = wxWithRoutes(routes({ 'POST /api/v1/orders/7/receive': received }))
    const page = mountPage('pages/orders/detail')
    page.instance.onLoad({ id: '7' })
    page.instance.onShow()
    await settle()
    wx.answerModal(false)
    await page.instance.onAction(tap({ action: 'receive' }))
    expect(wx.modals[0].title).toBe('确认收货')
    expect(received).not.toHaveBeenCalled()
    wx.answerModal(true)
    await page.instance.onAction(tap({ action: 'receive' }))
    await settle()
    expect(received).toHaveBeenCalledTimes(1)
    expect(wx.toasts.map((t) => t.title)).toContain('已确认收货')
  })

  test('a pending order counts down and can be cancelled after confirming', async () => {
    const cancelled = detail({ status: 'cancelled', paid_at: null, shipped_at: null, cancelled_at: '2026-11-27T18:40:00+08:00' })
    global.wx = wxWithRoutes(routes({
      'GET /api/v1/orders/7': detail({ status: 'pending_payment', paid_at: null, shipped_at: null, pay_seconds_left: 600 }),
      'POST /api/v1/orders/7/cancel': () => [200, cancelled],
    }))
    const page = mountPage('pages/orders/detail')
    page.instance.onLoad({ id: '7' })
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.hero__hint')).toMatch(/^剩余 (10:00|09:59) 自动关闭/)
    await page.instance.onAction(tap({ action: 'cancel' }))
    await settle()
    expect(textOf(page, '.hero__status')).toBe('已取消')
    expect(page.instance.data.order.actions).toEqual([])
    page.instance.onUnload()
  })

  test('a pending order payable by WeChat or balance asks which, then pays with the one chosen', async () => {
    const methods = []
    global.wx = wxWithRoutes(routes({
      'GET /api/v1/orders/7': detail({ status: 'pending_payment', paid_at: null, shipped_at: null, pay_seconds_left: 600,
        pay_methods: ['wechat', 'balance'] }),
      'POST /api/v1/orders/7/pay': ({ body }) => {
        methods.push(body.method)
        return [200, { order: { id: 7, status: 'paid' }, request_payment: null }]
      },
    }), { showActionSheet: jest.fn((opts) => opts.success({ tapIndex: 1 })) })
    const page = mountPage('pages/orders/detail')
    page.instance.onLoad({ id: '7' })
    page.instance.onShow()
    await settle()
    await page.instance.onAction(tap({ action: 'pay' }))
    await settle()
    expect(wx.showActionSheet.mock.calls[0][0].itemList).toEqual(['微信支付', '余额支付'])
    expect(methods).toEqual(['balance'])
    page.instance.onUnload()
  })

  test('each paid item offers after-sales, which opens the application for that item', async () => {
    global.wx = wxWithRoutes(routes())
    const page = mountPage('pages/orders/detail')
    page.instance.onLoad({ id: '7' })
    page.instance.onShow()
    await settle()
    expect(allText(page, '.line__right >>> .vant-stub')).toEqual(['申请售后'])
    page.instance.applyAfterSale(tap({ item: 71 }))
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/packages/after-sales/apply?order_id=7&item_id=71' })
  })
})
