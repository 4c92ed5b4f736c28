/**
 * Paying an order from the order pages: the shop's one payment flow (utils/pay: POST
 * /orders/<id>/pay, then wx.requestPayment), then the result page, which waits for our server
 * to hear from WeChat. A shopper who closes the payment sheet is told so and stays here.
 */
const pay = require('../../utils/pay')

function payOrder(orderId, method) {
  return pay.payOrder(orderId, method || 'wechat')
    .then((state) => {
      wx.navigateTo({ url: `/pages/pay-result/index?id=${orderId}` })
      return state
    })
    .catch((err) => {
      if (err && err.cancelled) wx.showToast({ title: err.message, icon: 'none' })
      throw err
    })
}

const METHOD_LABELS = { wechat: '微信支付', balance: '余额支付' }

/**
 * The order detail says how a pending order can be paid now (`pay_methods`): with more than
 * one of WeChat and balance the shopper picks one; otherwise the one there is (WeChat when the
 * answer does not say).
 */
function chooseMethod(methods) {
  const offered = (methods || []).filter((method) => METHOD_LABELS[method])
  if (offered.length <= 1) return Promise.resolve(offered[0] || 'wechat')
  return new Promise((resolve, reject) => {
    wx.showActionSheet({
      itemList: offered.map((method) => METHOD_LABELS[method]),
      success: (res) => resolve(offered[res.tapIndex]),
      fail: () => reject(Object.assign(new Error('已取消支付'), { cancelled: true })),
    })
  })
}

function payWithChoice(orderId, methods) {
  return chooseMethod(methods).then((method) => payOrder(orderId, method))
}

module.exports = { payOrder, chooseMethod, payWithChoice }
