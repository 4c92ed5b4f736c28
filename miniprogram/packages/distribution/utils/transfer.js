/**
 * Confirming a WeChat-change withdrawal: the merchant transfer waits until the agent accepts it
 * in WeChat. GET /distribution/withdrawals/<id>/transfer answers the parameters (mchId, appId,
 * package, openId) of wx.requestMerchantTransfer, or null when nothing waits for confirmation.
 */
const api = require('../../../utils/api')

function supported() {
  return typeof wx.requestMerchantTransfer === 'function'
    && (typeof wx.canIUse !== 'function' || wx.canIUse('requestMerchantTransfer'))
}

/** Resolves with 'confirmed' | 'nothing' (no transfer waits); rejects with {cancelled} or an error. */
function confirmTransfer(withdrawalId) {
  return api.get(`/distribution/withdrawals/${withdrawalId}/transfer`).then((answer) => {
    const params = answer && answer.params
    if (!params) return 'nothing'
    if (!supported()) {
      wx.showModal({ title: '提示', content: '当前微信版本过低，请升级微信后再确认收款。', showCancel: false })
      throw Object.assign(new Error('微信版本过低'), { unsupported: true })
    }
    return new Promise((resolve, reject) => {
      wx.requestMerchantTransfer({
        mchId: params.mchId,
        appId: params.appId || (wx.getAccountInfoSync && wx.getAccountInfoSync().miniProgram.appId),
        package: params.package,
        openId: params.openId,
        success: () => resolve('confirmed'),
        fail: (res) => {
          const cancelled = /cancel/i.test((res && res.errMsg) || '')
          reject(Object.assign(new Error(cancelled ? '已取消收款' : '确认收款未完成'), { cancelled }))
        },
      })
    })
  })
}

module.exports = { confirmTransfer, supported }
