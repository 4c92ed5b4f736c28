// Share posters: GET a poster endpoint (200 {url} or 202 {status: 'rendering', poll}), poll
// until it is ready, then save it to the album (wx.downloadFile → wx.saveImageToPhotosAlbum).
const api = require('./api')

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Resolve with the poster's answer ({url, ...}) once rendered. */
function fetchPoster(path, { times = 20, interval = 1000 } = {}) {
  let left = times
  const attempt = (target) => api.get(target, {}, { silent: left < times })
    .then((answer) => {
      left--
      if (answer && answer.url) return answer
      if (left <= 0) throw new api.ApiError({ status: 202, code: 'poster_timeout', message: '海报生成超时，请稍后再试' })
      return sleep(interval).then(() => attempt((answer && answer.poll) || path))
    })
  return attempt(path)
}

function call(fn, options) {
  return new Promise((resolve, reject) => fn(Object.assign({}, options, { success: resolve, fail: reject })))
}

/** Download the poster and save it to the album; asks to open settings when permission was refused. */
function saveToAlbum(url) {
  return call(wx.downloadFile, { url })
    .then((res) => {
      if (res.statusCode && res.statusCode !== 200) throw new Error('download failed')
      return call(wx.saveImageToPhotosAlbum, { filePath: res.tempFilePath })
    })
    .then(() => {
      wx.showToast({ title: '已保存到相册', icon: 'success' })
      return true
    })
    .catch((err) => {
      const message = (err && err.errMsg) || ''
      if (/auth deny|authorize|permission/.test(message)) {
        wx.showModal({
          title: '需要相册权限',
          content: '请在设置中允许保存到相册',
          confirmText: '去设置',
          success: (res) => { if (res.confirm) wx.openSetting() },
        })
      } else if (!/cancel/.test(message)) {
        wx.showToast({ title: '保存失败，请重试', icon: 'none' })
      }
      return false
    })
}

module.exports = { fetchPoster, saveToAlbum }
