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

module.exports = { payOrder }
