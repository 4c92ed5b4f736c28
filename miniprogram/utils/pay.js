// Paying an order: POST /orders/<id>/pay, then wx.requestPayment with what it answers (WeChat
// Pay), then poll pay-status until our server has WeChat's word. Balance and cash on delivery
// are settled by the first call.
const api = require('./api')

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

/** Pay with `method` (wechat | balance | cod). Resolves with the order's pay state. */
function payOrder(orderId, method) {
  return api.post('/api/v1/orders/' + orderId + '/pay', { method: method || 'wechat' })
    .then((answer) => {
      if (!answer.request_payment) return answer.order
      return requestPayment(answer.request_payment).then(() => answer.order)
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
