// The distribution centre: commission and withdrawal labels, the withdrawal form in fen
// (minimum, maximum, fee), the centre for agents and non-agents, withdrawing to WeChat with the
// merchant-transfer confirmation, and the invite poster saved to the album.
const labels = require('../../packages/distribution/utils/labels')
const withdraw = require('../../packages/distribution/utils/withdraw')
const { promotionOrder } = require('../../packages/distribution/utils/promotion')
const { beijingTime } = require('../../packages/distribution/utils/time')
const { mountPage, wxWithRoutes, settle, textOf, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
})

describe('labels', () => {
  test.each([
    ['pending', '待结算', 'warning'],
    ['frozen', '冻结中', 'primary'],
    ['available', '可提现', 'success'],
    ['cancelled', '已失效', 'default'],
  ])('commission %s is badged %s (%s)', (status, label, tag) => {
    expect(labels.commissionStatus(status)).toMatchObject({ label, tag })
  })

  test.each([
    ['reviewing', '审核中'], ['approved', '待打款'], ['paying', '打款中'], ['paid', '已到账'], ['rejected', '已驳回'],
    ['failed', '打款失败'],
  ])('withdrawal %s reads %s', (status, label) => {
    expect(labels.withdrawalStatus(status).label).toBe(label)
  })

  test('methods and masked names', () => {
    expect(['wechat', 'balance', 'bank', 'alipay'].map(labels.methodLabel)).toEqual(['微信零钱', '商城余额', '银行卡', '支付宝'])
    expect(labels.maskName('张三丰')).toBe('张*丰')
    expect(labels.maskName('')).toBe('匿名用户')
  })

  test('the application: rejected with its reason, and how the shop makes agents otherwise', () => {
    expect(labels.applicationView({ status: 'rejected', can_apply: true, become_agent: 'apply',
      application: { status: 'rejected', reject_reason: '资料不全' } }))
      .toEqual({ status: 'rejected', statusText: '未通过', rejectReason: '资料不全', canApply: true, hint: '' })
    expect(labels.applicationView({ status: 'none', can_apply: false, become_agent: 'spend', become_spend_fen: 50000 }))
      .toMatchObject({ canApply: false, hint: '累计消费满 ¥500.00 即可成为推广员' })
    expect(labels.applicationView({ status: 'disabled', can_apply: false }).statusText).toBe('推广资格已停用')
  })

  test('Flask HTTP dates and ISO times read in Beijing time', () => {
    expect(beijingTime('Fri, 27 Nov 2026 05:30:00 GMT')).toBe('2026-11-27 13:30')
    expect(beijingTime('2026-11-27T16:30:00')).toBe('2026-11-28 00:30')
    expect(beijingTime(null)).toBe('')
  })

  test('a promotion order, or a commission line standing in for one', () => {
    expect(promotionOrder({ order_id: 3, order_no: 'O3', buyer_nickname: '张*丰', order_status: 'completed',
      paid_fen: 9900, refunded_fen: 1000, paid_at: 'Fri, 27 Nov 2026 05:30:00 GMT', levels: [1, 2], commission_fen: 990,
      commission_net_fen: 890, commission_status: 'frozen' })).toMatchObject({ buyer: '张*丰', paidText: '99.00',
      refundedText: '10.00', commissionText: '8.90', statusText: '冻结中', levelText: '一级、二级',
      timeText: '2026-11-27 13:30' })
    expect(promotionOrder({ id: 8, order_id: 3, order_no: 'O3', title: '龙井', level: 2, amount_fen: 500, net_fen: 400,
      status: 'pending' })).toMatchObject({ id: 3, commissionText: '4.00', statusText: '待结算', levelText: '二级',
      paidText: '' })
  })
})

describe('withdrawal form', () => {
  const config = withdraw.normaliseConfig({ methods: ['wechat', 'balance', 'bank', 'alipay'], min_fen: 100,
    max_fen: 500000, fee_bp: 60, daily_limit: 3 })
  const form = (extra) => Object.assign({ method: 'wechat', amountText: '', idempotencyKey: 'key-12345678' }, extra)

  test("the settings' own field names work too", () => {
    expect(withdraw.normaliseConfig({ withdraw_methods: ['balance', 'nope'], withdraw_min_fen: 1000,
      withdraw_max_fen: 2000, withdraw_fee_bp: 100, withdraw_daily_limit: 1 }))
      .toEqual({ methods: ['balance'], minFen: 1000, maxFen: 2000, feeBp: 100, dailyLimit: 1, todayLeft: null,
        feeFreeMethods: ['balance'], wechatReady: true })
  })

  test("the day's withdrawals used up, or no WeChat identity, stop the form before the server does", () => {
    const usedUp = withdraw.normaliseConfig({ methods: ['wechat'], min_fen: 100, daily_limit: 3, today_left: 0 })
    expect(withdraw.validateWithdrawal(form({ amountText: '10' }), usedUp, 10000).fields.amount_fen)
      .toBe('今天的 3 次提现已用完，请明天再来')
    const noOpenid = withdraw.normaliseConfig({ methods: ['wechat'], wechat_ready: false })
    expect(withdraw.validateWithdrawal(form({ amountText: '10' }), noOpenid, 10000).fields.method)
      .toBe('请在微信小程序中登录后提现到零钱')
  })

  test('the methods the server names fee-free pay no fee', () => {
    const config2 = withdraw.normaliseConfig({ methods: ['wechat', 'alipay'], fee_bp: 100, fee_free_methods: ['alipay'] })
    expect(withdraw.validateWithdrawal(form({ method: 'alipay', amountText: '10', accountName: '张三',
      accountNo: 'a@b.cn' }), config2, 10000)).toMatchObject({ ok: true, feeFen: 0, netFen: 1000 })
    expect(withdraw.validateWithdrawal(form({ amountText: '10' }), config2, 10000)).toMatchObject({ feeFen: 10 })
  })

  test('fee rounded down to the fen, none to the store balance', () => {
    expect(withdraw.feeFen(12345, 60, 'wechat')).toBe(74) // 74.07
    expect(withdraw.feeFen(12345, 60, 'balance')).toBe(0)
    expect(withdraw.feeRateText(60)).toBe('0.6%')
    expect(withdraw.feeRateText(100)).toBe('1%')
    expect(withdraw.feeRateText(125)).toBe('1.25%')
  })

  test('a valid amount gives fee, net and the request body in fen', () => {
    const check = withdraw.validateWithdrawal(form({ amountText: '123.45' }), config, 20000)
    expect(check).toMatchObject({ ok: true, amountFen: 12345, feeFen: 74, netFen: 12271 })
    expect(check.body).toEqual({ amount_fen: 12345, method: 'wechat', idempotency_key: 'key-12345678',
      account_name: '', account_no: '', bank_name: '' })
  })

  test.each([
    ['0.99', 20000, '最低提现 ¥1.00'],
    ['5000.01', 900000, '单次最多提现 ¥5000.00'],
    ['150', 10000, '可提现余额不足（¥100.00）'],
    ['abc', 10000, '请输入正确的金额'],
    ['1.001', 10000, '请输入正确的金额'],
  ])('%s yuan with %i fen available: %s', (amountText, available, message) => {
    expect(withdraw.validateWithdrawal(form({ amountText }), config, available).fields.amount_fen).toBe(message)
  })

  test('bank and Alipay need the account; a method must be offered', () => {
    expect(withdraw.validateWithdrawal(form({ method: 'bank', amountText: '10' }), config, 10000).fields).toEqual({
      account_name: '请填写收款人姓名', account_no: '请填写银行卡号', bank_name: '请填写开户银行' })
    expect(withdraw.validateWithdrawal(form({ method: 'bank', amountText: '10', accountName: '张三',
      accountNo: '6222 0000 1111 2222', bankName: '招商银行' }), config, 10000).body)
      .toMatchObject({ account_no: '6222000011112222', bank_name: '招商银行' })
    expect(withdraw.validateWithdrawal(form({ method: 'alipay', amountText: '10', accountName: '张三' }), config, 10000)
      .fields).toEqual({ account_no: '请填写支付宝账号' })
    const wechatOnly = withdraw.normaliseConfig({ methods: ['wechat'] })
    expect(withdraw.validateWithdrawal(form({ method: 'bank', amountText: '10' }), wechatOnly, 10000).fields.method)
      .toBe('请选择提现方式')
  })

  test('nothing left after the fee is refused', () => {
    const steep = withdraw.normaliseConfig({ methods: ['wechat'], min_fen: 1, fee_bp: 9999 })
    expect(withdraw.validateWithdrawal(form({ amountText: '0.01' }), steep, 100).fields.amount_fen).toBeUndefined()
    const all = withdraw.normaliseConfig({ methods: ['wechat'], min_fen: 1, fee_bp: 10000 })
    expect(withdraw.validateWithdrawal(form({ amountText: '1' }), all, 100).fields.amount_fen).toBe('扣除手续费后金额须大于 0')
  })

  test('withdraw all is what is available, within the maximum', () => {
    expect(withdraw.maxWithdrawable(config, 900000)).toBe(500000)
    expect(withdraw.maxWithdrawable(config, 1234)).toBe(1234)
  })
})

const summary = (extra) => Object.assign({
  is_agent: true, agent_status: 'active', invite_code: 'AB12CD', level: '金牌推广员',
  account: { pending_fen: 1200, frozen_fen: 300, available_fen: 25000, withdrawing_fen: 0, withdrawn_fen: 1000 },
  commission: { total_fen: 27500, today_fen: 1200, by_status: { pending: 1200 } },
  team: { level1: 4, level2: 2, total: 6 },
}, extra)

describe('distribution centre', () => {
  test('an agent sees available, today and total commission, buckets and team counts', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/distribution/me': summary() })
    const page = mountPage('packages/distribution/index')
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.money__available')).toBe('250.00')
    expect(allText(page, '.money__cell')).toEqual(expect.arrayContaining(['12.00今日佣金', '275.00累计佣金',
      '12.00待结算', '3.00冻结中', '10.00已提现', '4一级成员', '2二级成员']))
    expect(page.instance.onShareAppMessage().path).toBe('/pages/home/index?r=AB12CD')
    page.instance.openBucket(tap({ bucket: 'frozen' }))
    page.instance.openBucket(tap({ bucket: 'withdrawn' }))
    expect(wx.navigateTo.mock.calls).toEqual([[{ url: '/packages/distribution/commissions?status=frozen' }],
      [{ url: '/packages/distribution/withdrawals' }]])
  })

  test('a shopper who applied sees the application under review, without the apply button', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/distribution/me': summary({ is_agent: false, agent_status: null, invite_code: null }),
      'GET /api/v1/distribution/application': { status: 'pending', become_agent: 'apply', can_apply: false,
        application: { id: 1, status: 'pending', reject_reason: '' } },
    })
    const page = mountPage('packages/distribution/index')
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.join__state')).toBe('申请状态：审核中')
    expect(allText(page, '.join >>> .vant-stub').filter(Boolean)).toEqual([])
  })

  test('a shopper who never applied is invited to', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/distribution/me': summary({ is_agent: false, agent_status: null }) })
    const page = mountPage('packages/distribution/index')
    page.instance.onShow()
    await settle()
    expect(allText(page, '.join >>> .vant-stub').filter(Boolean)).toEqual(['立即申请'])
  })

  test('commission lines carry their status badge and the date they become withdrawable', async () => {
    const asked = []
    global.wx = wxWithRoutes({ 'GET /api/v1/distribution/commissions': ({ query }) => {
      asked.push(query.status || '')
      return [200, { items: [{ id: 1, order_id: 3, order_no: 'O3', title: '明前龙井', level: 1, amount_fen: 990,
        net_fen: 990, status: 'frozen', frozen_until: 'Mon, 07 Dec 2026 02:00:00 GMT',
        created_at: 'Fri, 27 Nov 2026 05:30:00 GMT' }], page: 1, size: 20, total: 1 }]
    } })
    const page = mountPage('packages/distribution/commissions')
    page.instance.onLoad({ status: 'frozen' })
    await settle()
    expect(asked).toEqual(['frozen'])
    expect(textOf(page, '.entry__amount')).toBe('+9.90')
    expect(textOf(page, '.entry__meta')).toBe('冻结中一级佣金')
    expect(textOf(page, '.entry__foot')).toBe('订单 O32026-12-07 后可提现')
  })
})

describe('apply page', () => {
  test('checks name and phone, then shows the application under review', async () => {
    const posted = jest.fn(() => [200, { status: 'pending' }])
    global.wx = wxWithRoutes({
      'GET /api/v1/distribution/application': { status: 'none', become_agent: 'apply', can_apply: true, application: null },
      'POST /api/v1/distribution/apply': posted,
    })
    const page = mountPage('packages/distribution/apply')
    page.instance.onLoad()
    await settle()
    await page.instance.submit()
    expect(page.instance.data.fields).toEqual({ real_name: '请填写真实姓名', phone: '请填写 11 位手机号' })
    page.instance.onName({ detail: { value: ' 张三 ' } })
    page.instance.onPhone({ detail: { value: '13800138000' } })
    await page.instance.submit()
    await settle()
    expect(posted.mock.calls[0][0].body).toEqual({ real_name: '张三', phone: '13800138000' })
    expect(textOf(page, '.result__title')).toBe('申请审核中')
  })

  test('a shop that makes agents by spending says how instead of showing the form', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/distribution/application': { status: 'none', become_agent: 'spend',
      can_apply: false, become_spend_fen: 100000, application: null } })
    const page = mountPage('packages/distribution/apply')
    page.instance.onLoad()
    await settle()
    expect(textOf(page, '.result__title')).toBe('暂不接受申请')
    expect(textOf(page, '.result .muted')).toBe('累计消费满 ¥1000.00 即可成为推广员')
    expect(page.querySelector('.field')).toBeFalsy()
  })
})

describe('withdraw page', () => {
  const routes = (extra) => Object.assign({
    'GET /api/v1/distribution/withdrawal-config': { methods: ['wechat', 'balance'], min_fen: 100, max_fen: 20000,
      fee_bp: 60, fee_free_methods: ['balance'], daily_limit: 3, today_left: 2, auto_approve_below_fen: 0,
      available_fen: 25000, wechat_ready: true },
    'GET /api/v1/distribution/me': summary(),
  }, extra || {})

  test('shows the rules and computes fee and net as the amount is typed', async () => {
    global.wx = wxWithRoutes(routes())
    const page = mountPage('packages/distribution/withdraw')
    page.instance.onLoad()
    await settle()
    expect(allText(page, '.rules .muted')).toEqual(['· 最低提现 ¥1.00', '· 单次最多 ¥200.00',
      '· 手续费 0.6%（提现到商城余额免手续费）', '· 每天最多提现 3 次，今天还可提现 2 次', '· 提现到微信零钱需在微信中确认收款'])
    page.instance.onInput(tap({ name: 'amountText' }, { value: '100' }))
    await settle()
    expect(textOf(page, '.fee')).toBe('手续费 ¥0.60实际到账 ¥99.40')
    page.instance.chooseMethod(tap({ method: 'balance' }))
    await settle()
    expect(textOf(page, '.fee')).toBe('手续费 ¥0.00实际到账 ¥100.00')
    page.instance.withdrawAll()
    expect(page.instance.data.form.amountText).toBe('200.00') // available 250, maximum 200
  })

  test('to WeChat change: apply, then confirm the merchant transfer with the package the API answers', async () => {
    const posted = jest.fn(({ body }) => [201, { id: 5, withdrawal_no: 'W5', method: body.method,
      amount_fen: body.amount_fen, fee_fen: 60, net_fen: body.amount_fen - 60, status: 'paying' }])
    global.wx = wxWithRoutes(routes({
      'POST /api/v1/distribution/withdrawals': posted,
      'GET /api/v1/distribution/withdrawals/5/transfer': { params: { mchId: '1900000001', appId: 'wx123',
        package: 'ABBQO+oYAAABAAAAAAAA', openId: 'o-1' } },
    }), { requestMerchantTransfer: jest.fn((opts) => opts.success({ errMsg: 'requestMerchantTransfer:ok' })) })
    const page = mountPage('packages/distribution/withdraw')
    page.instance.onLoad()
    await settle()
    page.instance.onInput(tap({ name: 'amountText' }, { value: '100' }))
    await page.instance.submit()
    await settle()
    expect(posted.mock.calls[0][0].body).toMatchObject({ amount_fen: 10000, method: 'wechat' })
    expect(posted.mock.calls[0][0].body.idempotency_key.length).toBeGreaterThanOrEqual(8)
    expect(wx.requestMerchantTransfer).toHaveBeenCalledWith(expect.objectContaining({ mchId: '1900000001',
      appId: 'wx123', package: 'ABBQO+oYAAABAAAAAAAA' }))
    expect(wx.toasts.map((t) => t.title)).toContain('已确认收款')
    expect(wx.redirectTo).toHaveBeenCalledWith({ url: '/packages/distribution/withdrawals' })
  })

  test('against the sandbox, the agent confirms in a dialog and the sandbox is told the transfer succeeded', async () => {
    const told = jest.fn(() => [200, { out_bill_no: 'B2', state: 'SUCCESS' }])
    global.wx = wxWithRoutes(routes({
      'POST /api/v1/distribution/withdrawals': () => [201, { id: 5, method: 'wechat', amount_fen: 10000, fee_fen: 60,
        net_fen: 9940, status: 'paying' }],
      'GET /api/v1/distribution/withdrawals/5/transfer': { params: { mchId: '1', appId: 'wx1', package: 'P', openId: 'o' } },
      'GET /sandbox/pay': { transactions: [], refunds: [], transfers: [
        { out_bill_no: 'B1', state: 'WAIT_USER_CONFIRM', transfer_amount: 9940, package_info: 'Q' },
        { out_bill_no: 'B2', state: 'WAIT_USER_CONFIRM', transfer_amount: 9940, package_info: 'P' },
        { out_bill_no: 'B3', state: 'SUCCESS', transfer_amount: 9940, package_info: 'R' }] },
      'POST /sandbox/simulate/transfer/success': told,
    }), { requestMerchantTransfer: jest.fn() })
    const page = mountPage('packages/distribution/withdraw', { sandboxUser: 'xiaohua' })
    page.instance.onLoad()
    await settle()
    page.instance.onInput(tap({ name: 'amountText' }, { value: '100' }))
    await page.instance.submit()
    await settle()
    expect(wx.modals[0].title).toBe('沙箱收款')
    expect(told.mock.calls[0][0].body).toEqual({ out_bill_no: 'B2' })
    expect(wx.requestMerchantTransfer).not.toHaveBeenCalled()
    expect(wx.toasts.map((t) => t.title)).toContain('已确认收款')
  })

  test('below the minimum nothing is sent and the message shows under the amount', async () => {
    const posted = jest.fn()
    global.wx = wxWithRoutes(routes({ 'POST /api/v1/distribution/withdrawals': posted }))
    const page = mountPage('packages/distribution/withdraw')
    page.instance.onLoad()
    await settle()
    page.instance.onInput(tap({ name: 'amountText' }, { value: '0.5' }))
    await page.instance.submit()
    await settle()
    expect(posted).not.toHaveBeenCalled()
    expect(textOf(page, '.error')).toBe('最低提现 ¥1.00')
  })

  test('a cancelled confirmation leaves the withdrawal to confirm later from the records', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/distribution/withdrawals': { items: [{ id: 5, withdrawal_no: 'W5', method: 'wechat',
        amount_fen: 10000, fee_fen: 60, net_fen: 9940, status: 'paying', reject_reason: '',
        created_at: 'Fri, 27 Nov 2026 05:30:00 GMT', paid_at: null }], page: 1, size: 20, total: 1 },
      'GET /api/v1/distribution/withdrawals/5/transfer': { params: { mchId: '1', appId: 'wx1', package: 'P', openId: 'o' } },
    }, { requestMerchantTransfer: jest.fn((opts) => opts.fail({ errMsg: 'requestMerchantTransfer:fail cancel' })) })
    const page = mountPage('packages/distribution/withdrawals')
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.card .record__method')).toBe('提现到微信零钱')
    expect(page.instance.data.list.items[0]).toMatchObject({ statusText: '待确认收款', canConfirm: true })
    await page.instance.confirm(tap({ id: 5 }))
    expect(wx.toasts.map((t) => t.title)).toContain('已取消收款')
  })
})

describe('invite poster', () => {
  test('waits while the poster renders, then saves it; a refused album permission leads to the settings', async () => {
    let calls = 0
    global.wx = wxWithRoutes({
      'GET /api/v1/posters/invite': () => {
        calls += 1
        return calls === 1 ? [202, { status: 'rendering', poll: '/api/v1/posters/invite?template=classic' }]
          : [200, { url: '/media/posters/a.png', template: 'classic', width: 750, height: 1334 }]
      },
    }, {
      downloadFile: jest.fn((opts) => opts.success({ statusCode: 200, tempFilePath: 'wxfile://poster.png' })),
      saveImageToPhotosAlbum: jest.fn()
        .mockImplementationOnce((opts) => opts.fail({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' }))
        .mockImplementationOnce((opts) => opts.success({})),
      openSetting: jest.fn((opts) => opts.success({ authSetting: { 'scope.writePhotosAlbum': true } })),
    })
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] })
    const page = mountPage('packages/distribution/poster')
    page.instance.onLoad()
    await jest.advanceTimersByTimeAsync(1600)
    jest.useRealTimers()
    await settle()
    expect(calls).toBe(2)
    expect(page.instance.data.poster.url).toBe('http://127.0.0.1:5000/media/posters/a.png')
    await page.instance.save()
    expect(wx.downloadFile.mock.calls[0][0].url).toBe('http://127.0.0.1:5000/media/posters/a.png')
    expect(wx.modals[0].title).toBe('需要相册权限')
    expect(wx.openSetting).toHaveBeenCalled()
    expect(wx.saveImageToPhotosAlbum).toHaveBeenCalledTimes(2)
    expect(wx.toasts.map((t) => t.title)).toContain('已保存到相册')
  })

  test('a shopper who is not an agent is offered to apply', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/posters/invite': () => [403, { error: { code: 'not_agent',
      message: '成为推广员后才能生成邀请海报', fields: {} } }] })
    const page = mountPage('packages/distribution/poster')
    page.instance.onLoad()
    await settle()
    expect(textOf(page, '.stage >>> .empty__text')).toBe('成为推广员后即可生成邀请海报')
  })
})
