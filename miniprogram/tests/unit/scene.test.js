const { createWx, freshRequire } = require('../helpers/wx-shim')

function load(handler) {
  global.wx = createWx({ request: handler || (() => ({ statusCode: 200, data: {} })) })
  return { scene: freshRequire('../../utils/scene'), wx: global.wx }
}

afterEach(() => { delete global.wx })

describe('parseScene', () => {
  const { parseScene } = require('../../utils/scene')

  test('decodes a URL-encoded wxacode scene', () => {
    expect(parseScene('r%3DAB12CD%26p%3D12')).toEqual({ r: 'AB12CD', p: '12' })
  })
  test('reads an already decoded scene and a double-encoded one', () => {
    expect(parseScene('r=AB12CD&p=12&t=3')).toEqual({ r: 'AB12CD', p: '12', t: '3' })
    expect(parseScene('r%253DAB12CD%2526p%253D12')).toEqual({ r: 'AB12CD', p: '12' })
  })
  test('ignores empty and malformed input', () => {
    expect(parseScene(undefined)).toEqual({})
    expect(parseScene('')).toEqual({})
    expect(parseScene('garbage')).toEqual({})
    expect(parseScene('%E0%A4%A')).toEqual({})
  })
})

describe('referralFrom', () => {
  const { referralFrom } = require('../../utils/scene')

  test('an App launch from a wxacode: query.scene, WeChat\'s numeric scene ignored', () => {
    expect(referralFrom({ scene: 1047, path: 'pages/product/index', query: { scene: 'r%3DAB12CD%26p%3D12' } }))
      .toEqual({ r: 'AB12CD', p: '12', source: 'wxacode' })
  })
  test('a page opened from a wxacode: options.scene', () => {
    expect(referralFrom({ scene: 'r%3DAB12CD%26t%3D2' })).toEqual({ r: 'AB12CD', t: '2', source: 'wxacode' })
  })
  test('a shared link: query r, p and t', () => {
    expect(referralFrom({ scene: 1007, query: { r: 'AB12CD', p: '5', t: '1' } }))
      .toEqual({ r: 'AB12CD', p: '5', t: '1', source: 'link' })
  })
  test('no referrer: null', () => {
    expect(referralFrom({ scene: 1001, query: {} })).toBeNull()
    expect(referralFrom({ query: { p: '5' } })).toBeNull()
    expect(referralFrom(undefined)).toBeNull()
  })
})

describe('keeping and binding a referral', () => {
  test('remembered until bound, then cleared', async () => {
    const { scene, wx } = load(() => ({ statusCode: 200, data: { result: 'bound', reason: '' } }))
    scene.remember({ query: { scene: 'r%3DAB12CD' } })
    expect(scene.pending()).toEqual({ r: 'AB12CD', source: 'wxacode' })
    wx.setStorageSync('token', 'tok')
    await expect(scene.bindPending()).resolves.toEqual({ result: 'bound', reason: '' })
    expect(wx.requests[0].url).toMatch(/\/api\/v1\/distribution\/bind$/)
    expect(wx.requests[0].data).toEqual({ code: 'AB12CD', source: 'wxacode' })
    expect(scene.pending()).toBeNull()
  })
  test('a refused code is forgotten; a network failure keeps it for later', async () => {
    let fail = 'network'
    const { scene, wx } = load(() => {
      if (fail === 'network') throw new Error('offline')
      return { statusCode: 422, data: { error: { code: 'validation_failed', message: 'x', fields: {} } } }
    })
    wx.setStorageSync('token', 'tok')
    scene.remember({ query: { r: 'AB12CD' } })
    await scene.bindPending()
    expect(scene.pending()).toEqual({ r: 'AB12CD', source: 'link' })
    fail = 'refused'
    await scene.bindPending()
    expect(scene.pending()).toBeNull()
    expect(wx.toasts).toEqual([])
  })
  test("a poster's scene is reported as a poster scan, which binds", async () => {
    const { scene, wx } = load(() => ({ statusCode: 200, data: { recorded: true, template: 'invite-starry', bind_result: 'bound' } }))
    scene.remember({ query: { scene: 'r%3DAB12CD%26p%3D12%26t%3D3' } })
    wx.setStorageSync('token', 'tok')
    await expect(scene.bindPending()).resolves.toEqual({ recorded: true, template: 'invite-starry', bind_result: 'bound' })
    expect(wx.requests[0].url).toMatch(/\/api\/v1\/posters\/scans$/)
    expect(wx.requests[0].data).toEqual({ scene: 'r=AB12CD&p=12&t=3', source: 'wxacode' })
    expect(scene.pending()).toBeNull()
  })
  test('nothing pending: no request', async () => {
    const { scene, wx } = load()
    await expect(scene.bindPending()).resolves.toBeNull()
    expect(wx.requests).toEqual([])
  })
})
