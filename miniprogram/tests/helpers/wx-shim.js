// A stand-in for the `wx` global: in-memory storage, recorded toasts, and a wx.request /
// wx.login that tests program (unit) or point at a real server (e2e, see e2e/wx-http.js).

function createWx({ request, loginCode } = {}) {
  const storage = {}
  const wx = {
    storage,
    toasts: [],
    requests: [],
    getStorageSync: (key) => (key in storage ? storage[key] : ''),
    setStorageSync: (key, value) => { storage[key] = JSON.parse(JSON.stringify(value)) },
    removeStorageSync: (key) => { delete storage[key] },
    showToast: (opts) => { wx.toasts.push(opts) },
    hideToast: () => {},
    showLoading: () => {},
    hideLoading: () => {},
    login: ({ success, fail }) => {
      const code = typeof loginCode === 'function' ? loginCode() : loginCode || 'dev:shopper'
      if (code) success({ code, errMsg: 'login:ok' })
      else fail({ errMsg: 'login:fail' })
    },
    request: (opts) => {
      wx.requests.push({ method: opts.method, url: opts.url, data: opts.data, header: opts.header })
      Promise.resolve()
        .then(() => request(opts))
        .then((res) => opts.success && opts.success(res), (err) => opts.fail && opts.fail({ errMsg: String(err) }))
    },
  }
  return wx
}

/** Load a fresh copy of a mini-program module (each test its own auth state). */
function freshRequire(modulePath) {
  jest.resetModules()
  return require(modulePath)
}

module.exports = { createWx, freshRequire }
