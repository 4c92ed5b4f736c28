// The only caller of wx.request: a Promise of {statusCode, data}. api.js and auth.js build on it.
const config = require('../config')

const API_PREFIX = '/api/v1'

/** '/products' and '/api/v1/products' both mean our API's /api/v1/products. */
function urlFor(path, query) {
  let url = path
  if (!/^https?:\/\//.test(path)) {
    const absolute = path.charAt(0) === '/' ? path : '/' + path
    url = config.apiBase + (absolute.indexOf('/api/') === 0 || absolute.indexOf('/sandbox/') === 0 ? absolute : API_PREFIX + absolute)
  }
  const pairs = []
  Object.keys(query || {}).forEach((key) => {
    const value = query[key]
    if (value === undefined || value === null || value === '') return
    pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(value))
  })
  if (pairs.length) url += (url.indexOf('?') >= 0 ? '&' : '?') + pairs.join('&')
  return url
}

function send({ method, path, query, body, header }) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: urlFor(path, query),
      method: method || 'GET',
      data: body === undefined ? undefined : body,
      header: Object.assign({ 'Content-Type': 'application/json' }, header || {}),
      dataType: 'json',
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(err),
    })
  })
}

module.exports = { send, urlFor }
