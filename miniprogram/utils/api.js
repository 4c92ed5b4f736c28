// Every request to our API goes through here. Resolves with the parsed JSON body; rejects with
// an ApiError (and shows its message as a toast unless `silent`). A 401 logs in again silently
// once and retries the request once.
const http = require('./http')
const auth = require('./auth')
const errors = require('./errors')

function toast(message) {
  if (typeof wx !== 'undefined' && wx.showToast) wx.showToast({ title: message, icon: 'none', duration: 2500 })
}

function attempt({ method, path, query, body }) {
  const token = auth.getToken()
  const header = token ? { Authorization: 'Bearer ' + token } : {}
  return http.send({ method, path, query, body, header })
    .catch((err) => { throw errors.networkError(err) })
}

function request(opts) {
  const method = (opts.method || 'GET').toUpperCase()
  const call = { method, path: opts.path, query: opts.query, body: opts.body }
  return attempt(call)
    .then((res) => {
      if (res.statusCode === 401 && !opts.noRetry) {
        auth.clearToken()
        return auth.login().then(() => attempt(call))
      }
      return res
    })
    .then((res) => {
      if (res.statusCode >= 200 && res.statusCode < 300) return res.data
      throw errors.fromResponse(res.statusCode, res.data)
    })
    .catch((err) => {
      const apiError = err instanceof errors.ApiError ? err : errors.networkError(err)
      if (!opts.silent) toast(apiError.message)
      throw apiError
    })
}

function withOpts(method, path, query, body, opts) {
  return request(Object.assign({}, opts || {}, { method, path, query, body }))
}

module.exports = {
  request,
  get: (path, query, opts) => withOpts('GET', path, query, undefined, opts),
  post: (path, body, opts) => withOpts('POST', path, undefined, body === undefined ? {} : body, opts),
  put: (path, body, opts) => withOpts('PUT', path, undefined, body === undefined ? {} : body, opts),
  patch: (path, body, opts) => withOpts('PATCH', path, undefined, body === undefined ? {} : body, opts),
  del: (path, query, opts) => withOpts('DELETE', path, query, undefined, opts),
  ApiError: errors.ApiError,
}
