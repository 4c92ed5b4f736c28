// utils/poster.js: a 202 "rendering" answer is polled until the poster's URL comes; saving
// downloads it and puts it in the album, and a refused album permission leads to the settings.
const { createWx, freshRequire } = require('../helpers/wx-shim')

afterEach(() => { delete global.wx })

function setup(request) {
  const wx = createWx({ request })
  wx.setStorageSync('token', 'tok')
  global.wx = wx
  return { wx, poster: freshRequire('../../utils/poster') }
}

test('a rendering poster is polled at its poll URL until it is ready', async () => {
  let polls = 0
  const { wx, poster } = setup((opts) => {
    if (opts.url.endsWith('/api/v1/posters/products/5')) {
      return { statusCode: 202, data: { status: 'rendering', poll: '/api/v1/posters/jobs/9' } }
    }
    polls++
    return polls < 2
      ? { statusCode: 202, data: { status: 'rendering', poll: '/api/v1/posters/jobs/9' } }
      : { statusCode: 200, data: { url: 'https://media/p.png' } }
  })
  await expect(poster.fetchPoster('/api/v1/posters/products/5', { interval: 1 })).resolves.toEqual({ url: 'https://media/p.png' })
  expect(wx.requests.map((r) => new URL(r.url).pathname)).toEqual([
    '/api/v1/posters/products/5', '/api/v1/posters/jobs/9', '/api/v1/posters/jobs/9',
  ])
})

test('a poster that never comes gives up with a message', async () => {
  const { poster } = setup(() => ({ statusCode: 202, data: { status: 'rendering' } }))
  await expect(poster.fetchPoster('/api/v1/posters/invite', { interval: 1, times: 3 }))
    .rejects.toMatchObject({ code: 'poster_timeout' })
})

test('saving downloads the poster into the album', async () => {
  const { wx, poster } = setup(() => ({ statusCode: 200, data: {} }))
  wx.downloadFile = jest.fn((opts) => opts.success({ statusCode: 200, tempFilePath: '/tmp/p.png' }))
  wx.saveImageToPhotosAlbum = jest.fn((opts) => opts.success({}))
  await expect(poster.saveToAlbum('https://media/p.png')).resolves.toBe(true)
  expect(wx.downloadFile.mock.calls[0][0].url).toBe('https://media/p.png')
  expect(wx.saveImageToPhotosAlbum.mock.calls[0][0].filePath).toBe('/tmp/p.png')
  expect(wx.toasts[0].title).toBe('已保存到相册')
})

test('a refused album permission offers the settings', async () => {
  const { wx, poster } = setup(() => ({ statusCode: 200, data: {} }))
  wx.downloadFile = (opts) => opts.success({ statusCode: 200, tempFilePath: '/tmp/p.png' })
  wx.saveImageToPhotosAlbum = (opts) => opts.fail({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' })
  wx.showModal = jest.fn((opts) => opts.success({ confirm: true }))
  wx.openSetting = jest.fn()
  await expect(poster.saveToAlbum('https://media/p.png')).resolves.toBe(false)
  expect(wx.showModal.mock.calls[0][0].title).toBe('需要相册权限')
  expect(wx.openSetting).toHaveBeenCalled()
})
