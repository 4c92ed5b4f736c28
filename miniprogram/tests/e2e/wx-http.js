// The `wx` global for the journey: wx.request over real HTTP to our server, wx.login handing
// out sandbox dev codes for one WeChat user, in-memory storage, and wx.requestPayment that
// plays the shopper paying in WeChat (the sandbox's /sandbox/simulate/pay/success).
const { createWx } = require('../helpers/wx-shim')

async function httpRequest(opts) {
  const init = { method: opts.method || 'GET', headers: opts.header || {} }
  if (opts.data !== undefined && init.method !== 'GET') init.body = JSON.stringify(opts.data)
  const res = await fetch(opts.url, init)
  const text = await res.text()
  let data = text
  try { data = JSON.parse(text) } catch (e) { /* not JSON: keep the text, as wx.request does */ }
  return { statusCode: res.status, data, header: Object.fromEntries(res.headers.entries()) }
}

function createHttpWx(base, devName) {
  let codes = 0
  const wx = createWx({ request: httpRequest, loginCode: () => `dev:${devName}:${++codes}` })
  wx.payments = []
  wx.requestPayment = (params) => {
    const prepayId = String(params.package || '').replace(/^prepay_id=/, '')
    ;(async () => {
      for (const key of ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign']) {
        if (!params[key]) throw new Error('requestPayment without ' + key)
      }
      const held = await httpRequest({ url: base + '/sandbox/pay' })
      const record = held.data.transactions.find((t) => t.prepay_id === prepayId)
      if (!record) throw new Error('no sandbox transaction for ' + params.package)
      const paid = await httpRequest({ url: base + '/sandbox/simulate/pay/success', method: 'POST',
        header: { 'Content-Type': 'application/json' }, data: { out_trade_no: record.out_trade_no } })
      if (paid.statusCode !== 200) throw new Error('sandbox refused the payment: ' + JSON.stringify(paid.data))
      wx.payments.push(record.out_trade_no)
    })().then(() => params.success && params.success({ errMsg: 'requestPayment:ok' }),
      (err) => params.fail && params.fail({ errMsg: 'requestPayment:fail ' + err.message }))
  }
  return wx
}

module.exports = { createHttpWx, httpRequest }
