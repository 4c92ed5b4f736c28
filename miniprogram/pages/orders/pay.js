/**
 * Paying an order that is waiting for payment: POST /orders/<id>/pay answers the parameters of
 * wx.requestPayment, which WeChat uses to take the money. The result page then asks the server
 * (which learns it from WeChat's notification) whether the order is paid.
 */
const api = require('../../utils/api')

function requestPayment(params) {
  return new Promise((resolve, reject) => {
    wx.requestPayment(Object.assign({}, params, {
      success: resolve,
      fail: (res) => {
        const cancelled = /cancel/i.test((res && res.errMsg) || '')
        reject(Object.assign(new Error(cancelled ? '已取消支付' : '支付未完成'), { cancelled }))
      },
    }))
  })
}

/** Pay with WeChat Pay (or `method`) and open the result page; resolves with the pay answer. */
function payOrder(orderId, method) {
  return api.post(`/orders/${orderId}/pay`, { method: method || 'wechat' })
    .then((answer) => (answer.request_payment ? requestPayment(answer.request_payment).then(() => answer) : answer))
    .then((answer) => {
      wx.navigateTo({ url: `/pages/pay-result/index?id=${orderId}` })
      return answer
    })
    .catch((err) => {
      if (err && err.cancelled) wx.showToast({ title: err.message, icon: 'none' })
      throw err
    })
}

module.exports = { payOrder, requestPayment }
