/**
 * Saving a poster to the phone's album: download it, then wx.saveImageToPhotosAlbum. When the
 * shopper refused the album permission before, WeChat fails at once; we explain and offer the
 * settings page (wx.openSetting), the only place the permission can be granted again.
 */

function download(url) {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      success: (res) => (res.statusCode === 200 ? resolve(res.tempFilePath) : reject(new Error('海报下载失败'))),
      fail: () => reject(new Error('海报下载失败')),
    })
  })
}

function isPermissionRefusal(err) {
  return /auth|deny|denied|authorize/i.test((err && err.errMsg) || '')
}

function save(filePath) {
  return new Promise((resolve, reject) => {
    wx.saveImageToPhotosAlbum({
      filePath,
      success: () => resolve(),
      fail: (err) => reject(err),
    })
  })
}

function askToOpenSettings() {
  return new Promise((resolve) => {
    wx.showModal({
      title: '需要相册权限',
      content: '保存海报需要允许访问相册，请在设置中打开“添加到相册”。',
      confirmText: '去设置',
      confirmColor: '#ee0a24',
      success: (res) => {
        if (!res.confirm) return resolve('refused')
        return wx.openSetting({
          success: (setting) => resolve(setting.authSetting && setting.authSetting['scope.writePhotosAlbum']
            ? 'granted' : 'refused'),
          fail: () => resolve('refused'),
        })
      },
    })
  })
}

/** Resolves with 'saved' | 'refused' | 'cancelled'; rejects when the download fails. */
function saveImageFromUrl(url) {
  return download(url).then((filePath) => save(filePath)
    .then(() => 'saved')
    .catch((err) => {
      if (!isPermissionRefusal(err)) return 'cancelled'; // e.g. the shopper closed the sheet
      return askToOpenSettings().then((answer) => (answer === 'granted'
        ? save(filePath).then(() => 'saved', () => 'refused') : 'refused'))
    }))
}

module.exports = { saveImageFromUrl, isPermissionRefusal }
