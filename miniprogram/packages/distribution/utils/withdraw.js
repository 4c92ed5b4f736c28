/**
 * The withdrawal form in integer fen: the configuration the server answers normalised, the fee
 * (rounded down to the fen, none to the store balance — as app/distribution/withdrawals does),
 * and every check the server would make that the form can know in advance.
 */
const { yuan, fenFromYuan } = require('../../../utils/money')
const { METHODS } = require('./labels')

const BASIS_POINTS = 10000

/** GET /distribution/withdrawal-config → one shape (accepts the settings' own field names too). */
function normaliseConfig(raw) {
  const source = raw || {}
  const pick = (...names) => {
    for (const name of names) if (source[name] !== undefined && source[name] !== null) return source[name]
    return undefined
  }
  const methods = (pick('methods', 'withdraw_methods') || ['wechat'])
    .map((method) => (typeof method === 'string' ? method : method && (method.key || method.method)))
    .filter((method) => METHODS[method])
  return {
    methods,
    minFen: Math.max(1, Number(pick('min_fen', 'withdraw_min_fen')) || 1),
    maxFen: Number(pick('max_fen', 'withdraw_max_fen')) || 0, // 0: no maximum known
    feeBp: Math.max(0, Number(pick('fee_bp', 'withdraw_fee_bp')) || 0),
    dailyLimit: Number(pick('daily_limit', 'withdraw_daily_limit')) || 0,
    todayLeft: source.today_left === undefined ? null : Number(source.today_left),
    feeFreeMethods: source.fee_free_methods || ['balance'],
    wechatReady: source.wechat_ready !== false,
  }
}

function feeFen(amountFen, feeBp, method, feeFreeMethods) {
  if ((feeFreeMethods || ['balance']).indexOf(method) >= 0 || !(amountFen > 0) || !(feeBp > 0)) return 0
  return Math.floor((amountFen * feeBp) / BASIS_POINTS)
}

/** "0.6%" from basis points (60 → "0.6%", 100 → "1%"). */
function feeRateText(feeBp) {
  const bp = Math.max(0, Math.floor(feeBp || 0))
  const whole = Math.floor(bp / 100)
  const rest = String(bp % 100).padStart(2, '0').replace(/0+$/, '')
  return `${whole}${rest ? `.${rest}` : ''}%`
}

/** The biggest amount the agent may ask for now: what is available, within the maximum. */
function maxWithdrawable(config, availableFen) {
  const available = Math.max(0, Math.floor(availableFen || 0))
  return config.maxFen > 0 ? Math.min(available, config.maxFen) : available
}

/** What is wrong with the amount (or the day's count), or ''. */
function amountProblem(amountFen, config, availableFen) {
  const available = Math.max(0, availableFen || 0)
  if (config.todayLeft === 0) return `今天的 ${config.dailyLimit} 次提现已用完，请明天再来`
  if (amountFen === null || amountFen <= 0) return '请输入正确的金额'
  if (amountFen < config.minFen) return `最低提现 ¥${yuan(config.minFen)}`
  if (config.maxFen > 0 && amountFen > config.maxFen) return `单次最多提现 ¥${yuan(config.maxFen)}`
  if (amountFen > available) return `可提现余额不足（¥${yuan(available)}）`
  return ''
}

/**
 * Check the form; returns {ok, fields, amountFen, feeFen, netFen, body}. `fields` keys follow the
 * API's (amount_fen, method, account_no) so a server refusal lands on the same line.
 */
function validateWithdrawal(form, config, availableFen) {
  const fields = {}
  const method = form.method
  const amountFen = fenFromYuan(form.amountText)
  if (!method || config.methods.indexOf(method) < 0) fields.method = '请选择提现方式'
  else if (method === 'wechat' && config.wechatReady === false) fields.method = '请在微信小程序中登录后提现到零钱'
  const amountMessage = amountProblem(amountFen, config, availableFen)
  if (amountMessage) fields.amount_fen = amountMessage
  const needsAccount = METHODS[method] && METHODS[method].needsAccount
  const accountName = String(form.accountName || '').trim()
  const accountNo = String(form.accountNo || '').replace(/\s+/g, '')
  if (needsAccount && !accountName) fields.account_name = '请填写收款人姓名'
  if (needsAccount && !accountNo) fields.account_no = method === 'bank' ? '请填写银行卡号' : '请填写支付宝账号'
  else if (method === 'bank' && !/^\d{12,19}$/.test(accountNo)) fields.account_no = '银行卡号应为 12–19 位数字'
  if (method === 'bank' && !String(form.bankName || '').trim()) fields.bank_name = '请填写开户银行'
  const fee = amountFen > 0 ? feeFen(amountFen, config.feeBp, method, config.feeFreeMethods) : 0
  const net = amountFen > 0 ? amountFen - fee : 0
  if (!fields.amount_fen && amountFen > 0 && net <= 0) fields.amount_fen = '扣除手续费后金额须大于 0'
  const ok = Object.keys(fields).length === 0
  const body = ok ? {
    amount_fen: amountFen, method, idempotency_key: form.idempotencyKey,
    account_name: needsAccount ? accountName : '', account_no: needsAccount ? accountNo : '',
    bank_name: method === 'bank' ? String(form.bankName || '').trim() : '',
  } : null
  return { ok, fields, amountFen: amountFen || 0, feeFen: fee, netFen: net, body }
}

/** A fresh key per withdrawal attempt, so a retried request returns the same withdrawal. */
function newIdempotencyKey(now, random) {
  const time = (now || Date.now()).toString(36)
  const noise = Math.floor((random || Math.random)() * 1e12).toString(36)
  return `wd-${time}-${noise}`.slice(0, 64)
}

module.exports = {
  normaliseConfig, feeFen, feeRateText, maxWithdrawable, validateWithdrawal, newIdempotencyKey,
}
