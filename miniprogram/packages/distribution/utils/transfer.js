/**
 * Confirming a WeChat-change withdrawal: the merchant transfer waits until the agent accepts it
 * in WeChat. GET /distribution/withdrawals/<id>/transfer answers the parameters (mchId, appId,
 * package, openId) of wx.requestMerchantTransfer, or null when nothing waits for confirmation.
 * Against a sandbox server (config.sandboxUser set, as utils/pay does for payments) WeChat cannot
 * confirm the sandbox's bill, so the agent's "yes" is told to the sandbox instead.
 */
const api = require('../../../utils/api')
const config = require('../../../config')

function supported() {
  return typeof wx.requestMerchantTransfer === 'function'
    && (typeof wx.canIUse !== 'function' || wx.canIUse('requestMerchantTransfer'))
}

function cancelled(message) {
  return Object.assign(new Error(message), { cancelled: true })
}

function askWeChat(params) {
  if (!supported()) {
    wx.showModal({ title: '提示', content: '当前微信版本过低，请升级微信后再确认收款。', showCancel: false })
    return Promise.reject(Object.assign(new Error('微信版本过低'), { unsupported: true }))
  }
  return new Promise((resolve, reject) => {
    wx.requestMerchantTransfer({
      mchId: params.mchId,
      appId: params.appId || (wx.getAccountInfoSync && wx.getAccountInfoSync().miniProgram.appId),
      package: params.package,
      openId: params.openId,
      success: () => resolve('confirmed'),
      fail: (res) => reject(/cancel/i.test((res && res.errMsg) || '')
        ? cancelled('已取消收款') : new Error('确认收款未完成')),
    })
  })
}

/** The sandbox's bill waiting for this agent: the one with this transfer's package. */
function askSandbox(packageInfo) {
  return new Promise((resolve, reject) => {
    wx.showModal({
      title: '沙箱收款',
      content: '这是测试环境，确认模拟在微信中收款？',
      success: (res) => (res.confirm ? resolve() : reject(cancelled('已取消收款'))),
      fail: () => reject(cancelled('已取消收款')),
    })
  })
    .then(() => api.get('/sandbox/pay', {}, { silent: true }))
    .then((held) => {
      const bill = (held.transfers || []).find((t) => t.state === 'WAIT_USER_CONFIRM' && t.package_info === packageInfo)
      if (!bill) throw new Error('确认收款未完成')
      return api.post('/sandbox/simulate/transfer/success', { out_bill_no: bill.out_bill_no }, { silent: true })
    })
    .then(() => 'confirmed')
}

/**
 * Resolves with 'confirmed' | 'nothing' (no transfer waits); rejects with {cancelled} or an error.
 */
function confirmTransfer(withdrawalId) {
  return api.get(`/distribution/withdrawals/${withdrawalId}/transfer`).then((answer) => {
    const params = answer && answer.params
    if (!params) return 'nothing'
    return config.sandboxUser ? askSandbox(params.package) : askWeChat(params)
  })
}

module.exports = { confirmTransfer, supported }
