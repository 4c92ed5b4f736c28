// Paying an order: POST /orders/<id>/pay, then wx.requestPayment with what it answers (WeChat
// Pay), then poll pay-status until our server has WeChat's word. Balance and cash on delivery
// are settled by the first call.
const api = require('./api')
const config = require('../config')

const POLL_INTERVAL_MS = 1000
const POLL_TIMES = 10

function requestPayment(params) {
  return new Promise((resolve, reject) => {
    wx.requestPayment(Object.assign({}, params, {
      success: resolve,
      fail: (err) => {
        const cancelled = err && /cancel/.test(err.errMsg || '')
        reject(Object.assign(new Error(cancelled ? '已取消支付' : '支付未完成'), { cancelled, errMsg: err && err.errMsg }))
      },
    }))
  })
}

/**
 * Against a sandbox server (config.sandboxUser set) WeChat cannot pay the sandbox's prepay id:
 * after the shopper confirms, the sandbox is told the payment succeeded, as WeChat would.
 */
function sandboxPayment(params) {
  const prepayId = String(params.package || '').replace(/^prepay_id=/, '')
  return new Promise((resolve, reject) => {
    wx.showModal({
      title: '沙箱支付',
      content: '这是测试环境，确认模拟微信支付成功？',
      success: (res) => (res.confirm ? resolve() : reject(Object.assign(new Error('已取消支付'), { cancelled: true }))),
      fail: () => reject(Object.assign(new Error('已取消支付'), { cancelled: true })),
    })
  })
    .then(() => api.get('/sandbox/pay', {}, { silent: true }))
    .then((held) => {
      const record = (held.transactions || []).find((t) => t.prepay_id === prepayId)
      if (!record) throw new Error('支付未完成')
      return api.post('/sandbox/simulate/pay/success', { out_trade_no: record.out_trade_no }, { silent: true })
    })
}

/** Pay with `method` (wechat | balance | cod). Resolves with the order's pay state. */
function payOrder(orderId, method) {
  return api.post('/api/v1/orders/' + orderId + '/pay', { method: method || 'wechat' })
    .then((answer) => {
      if (!answer.request_payment) return answer.order
      const paid = config.sandboxUser ? sandboxPayment(answer.request_payment) : requestPayment(answer.request_payment)
      return paid.then(() => answer.order)
    })
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Poll GET /orders/<id>/pay-status until it leaves pending_payment (or give up): the order's pay state. */
function waitPaid(orderId, { times = POLL_TIMES, interval = POLL_INTERVAL_MS } = {}) {
  let left = times
  const poll = () => api.get('/api/v1/orders/' + orderId + '/pay-status', {}, { silent: true })
    .then((answer) => {
      left--
      if (answer.order.status !== 'pending_payment' || left <= 0) return answer.order
      return sleep(interval).then(poll)
    })
  return poll()
}

function newIdempotencyKey(prefix) {
  return (prefix || 'k') + Date.now().toString(36) + Math.random().toString(36).slice(2, 10)
}

module.exports = { payOrder, waitPaid, requestPayment, newIdempotencyKey }
