/**
 * After-sale photos: choose with wx.chooseMedia, send each with wx.uploadFile to
 * POST /api/v1/uploads/image (multipart field `file`), keep the URL the server answers.
 * wx.uploadFile bypasses utils/api, so it sends the same bearer token and logs in again once
 * on a 401, as api.js does.
 */
const http = require('../../utils/http')
const auth = require('../../utils/auth')
const errors = require('../../utils/errors')

function sendFile(filePath) {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: http.urlFor('/uploads/image'),
      filePath,
      name: 'file',
      header: { Authorization: `Bearer ${auth.getToken()}` },
      success: (res) => {
        let data = res.data
        try { data = typeof data === 'string' ? JSON.parse(data) : data } catch (e) { data = null }
        resolve({ statusCode: res.statusCode, data })
      },
      fail: reject,
    })
  })
}

/** Upload one local image; resolves with its URL on our server, rejects with an ApiError. */
function uploadImage(filePath) {
  return auth.ensureLogin()
    .then(() => sendFile(filePath))
    .then((res) => (res.statusCode === 401 ? auth.login().then(() => sendFile(filePath)) : res))
    .then((res) => {
      if (res.statusCode >= 200 && res.statusCode < 300 && res.data && res.data.url) return res.data.url
      throw errors.fromResponse(res.statusCode, res.data)
    }, (err) => { throw err instanceof errors.ApiError ? err : errors.networkError(err) })
}

/** Let the shopper pick up to `count` photos (camera or album); resolves with local paths. */
function choosePhotos(count) {
  return new Promise((resolve, reject) => {
    wx.chooseMedia({
      count,
      mediaType: ['image'],
      sourceType: ['album', 'camera'],
      sizeType: ['compressed'],
      success: (res) => resolve((res.tempFiles || []).map((file) => file.tempFilePath)),
      fail: (err) => (/cancel/.test((err && err.errMsg) || '') ? resolve([]) : reject(err)),
    })
  })
}

module.exports = { uploadImage, choosePhotos }
