// Withdraw available commission: to WeChat change (merchant transfer, confirmed by the agent in
// WeChat), to the store balance, to a bank card or to Alipay; minimum, maximum and fee shown,
// fee and net computed as the amount is typed (integer fen).
const api = require('../../utils/api')
const { yuan } = require('../../utils/money')
const { METHODS } = require('./utils/labels')
const withdraw = require('./utils/withdraw')
const { confirmTransfer } = require('./utils/transfer')

Page({
  data: {
    status: 'loading',
    message: '',
    config: null,
    rules: [],
    methods: [],
    availableFen: 0,
    availableText: '0.00',
    form: { method: '', amountText: '', accountName: '', accountNo: '', bankName: '' },
    feeText: '0.00',
    netText: '0.00',
    fields: {},
    submitting: false,
  },

  onLoad() {
    this.idempotencyKey = withdraw.newIdempotencyKey()
    this.load()
  },

  load() {
    this.setData({ status: 'loading' })
    const config = api.get('/distribution/withdrawal-config', {}, { silent: true })
      .catch((err) => {
        if (err.status === 404) return {}; // not served yet: the server's checks still apply
        throw err
      })
    return Promise.all([config, api.get('/distribution/me', {}, { silent: true })])
      .then(([raw, me]) => {
        const normal = withdraw.normaliseConfig(raw)
        const availableFen = (me.account && me.account.available_fen) || 0
        this.config = normal
        this.setData({
          status: '',
          config: normal,
          availableFen,
          availableText: yuan(availableFen),
          methods: normal.methods.map((key) => Object.assign({ key }, METHODS[key])),
          'form.method': this.data.form.method || normal.methods[0] || '',
          rules: this.rules(normal),
        })
        this.recompute()
      })
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  rules(config) {
    const rules = [`最低提现 ¥${yuan(config.minFen)}`]
    if (config.maxFen) rules.push(`单次最多 ¥${yuan(config.maxFen)}`)
    const free = config.feeFreeMethods.map((method) => (METHODS[method] ? METHODS[method].label : method)).join('、')
    rules.push(config.feeBp ? `手续费 ${withdraw.feeRateText(config.feeBp)}${free ? `（提现到${free}免手续费）` : ''}` : '免手续费')
    if (config.dailyLimit) {
      rules.push(`每天最多提现 ${config.dailyLimit} 次${config.todayLeft === null ? '' : `，今天还可提现 ${config.todayLeft} 次`}`)
    }
    return rules
  },

  recompute() {
    const check = withdraw.validateWithdrawal(this.data.form, this.config, this.data.availableFen)
    this.setData({ feeText: yuan(check.feeFen), netText: yuan(check.netFen) })
    return check
  },

  chooseMethod(event) {
    this.setData({ 'form.method': event.currentTarget.dataset.method, 'fields.method': '', 'fields.account_no': '' })
    this.recompute()
  },

  onInput(event) {
    const name = event.currentTarget.dataset.name
    const apiField = { amountText: 'amount_fen', accountName: 'account_name', accountNo: 'account_no', bankName: 'bank_name' }[name]
    this.setData({ [`form.${name}`]: event.detail.value, [`fields.${apiField}`]: '' })
    this.recompute()
  },

  withdrawAll() {
    this.setData({ 'form.amountText': yuan(withdraw.maxWithdrawable(this.config, this.data.availableFen)), 'fields.amount_fen': '' })
    this.recompute()
  },

  submit() {
    if (this.data.submitting) return Promise.resolve()
    const form = Object.assign({}, this.data.form, { idempotencyKey: this.idempotencyKey })
    const check = withdraw.validateWithdrawal(form, this.config, this.data.availableFen)
    if (!check.ok) {
      this.setData({ fields: check.fields })
      return Promise.resolve()
    }
    this.setData({ submitting: true, fields: {} })
    return api.post('/distribution/withdrawals', check.body)
      .then((row) => {
        this.idempotencyKey = withdraw.newIdempotencyKey()
        return this.afterApply(row)
      })
      .catch((err) => this.setData({ fields: err.fields || {} }))
      .then(() => this.setData({ submitting: false }))
  },

  /** What happens next depends on the method and whether review was needed. */
  afterApply(row) {
    const done = (title) => {
      wx.showToast({ title, icon: 'success' })
      wx.redirectTo({ url: '/packages/distribution/withdrawals' })
    }
    if (row.method === 'wechat' && row.status === 'paying') {
      return confirmTransfer(row.id)
        .then((result) => done(result === 'confirmed' ? '已确认收款' : '提现处理中'))
        .catch((err) => {
          wx.showModal({
            title: '待确认收款',
            content: `${err.message || '确认收款未完成'}，可在提现记录中再次确认收款。`,
            showCancel: false,
            success: () => wx.redirectTo({ url: '/packages/distribution/withdrawals' }),
          })
        })
    }
    if (row.status === 'paid') return done(row.method === 'balance' ? '已转入余额' : '提现成功')
    return done('提交成功，等待审核')
  },

  openRecords() {
    wx.navigateTo({ url: '/packages/distribution/withdrawals' })
  },
})
