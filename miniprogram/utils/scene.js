// Referral scenes: a mini-program code's scene ("r%3DAB12CD%26p%3D12") or a share's query
// (?r=AB12CD&p=12&t=3) is kept in storage until the shopper is logged in, then bound once.
const api = require('./api')

const REFERRAL_KEY = 'referral'
let binding = null

/** "r%3DAB12CD%26p%3D12" → {r: 'AB12CD', p: '12'}. Tolerates already-decoded and double-encoded. */
function parseScene(rawScene) {
  if (rawScene === undefined || rawScene === null || rawScene === '') return {}
  let text = String(rawScene)
  for (let i = 0; i < 3 && /%[0-9a-fA-F]{2}/.test(text); i++) {
    try {
      text = decodeURIComponent(text)
    } catch (e) {
      break
    }
  }
  const result = {}
  text.split('&').forEach((pair) => {
    const at = pair.indexOf('=')
    if (at <= 0) return
    const key = pair.slice(0, at).trim()
    const value = pair.slice(at + 1).trim()
    if (key && value) result[key] = value
  })
  return result
}

/**
 * What an entry carries: App.onLaunch/onShow options ({query: {scene|r|p|t}}) or Page.onLoad
 * options ({scene} or {r, p, t}). Returns {r, p, t, source} or null when there is no referrer.
 * App options' numeric `scene` is WeChat's entry scene id, not ours, and is ignored.
 */
function referralFrom(options) {
  if (!options) return null
  const query = options.query && typeof options.query === 'object' ? options.query : options
  let fields = {}
  let source = 'link'
  const rawScene = typeof query.scene === 'string' ? query.scene : null
  if (rawScene) {
    fields = parseScene(rawScene)
    source = 'wxacode'
  }
  const r = fields.r || query.r
  if (!r) return null
  const referral = { r: String(r), source }
  const p = fields.p || query.p
  const t = fields.t || query.t
  if (p) referral.p = String(p)
  if (t) referral.t = String(t)
  return referral
}

/** Remember the entry's referrer (the newest one wins) until it is bound. */
function remember(options) {
  const referral = referralFrom(options)
  if (referral) wx.setStorageSync(REFERRAL_KEY, referral)
  return referral
}

function pending() {
  return wx.getStorageSync(REFERRAL_KEY) || null
}

/** The scene a poster's code carried, rebuilt from the kept fields (r, p, t as on the poster). */
function posterScene(referral) {
  return ['r', 'p', 't'].filter((key) => referral[key]).map((key) => `${key}=${referral[key]}`).join('&')
}

/**
 * Bind the pending referrer once logged in, then forget it. A poster's scene (it names its
 * template, `t`) goes to POST /api/v1/posters/scans, which counts the scan for the poster and
 * binds; any other to POST /api/v1/distribution/bind. Refusals (bad code, already bound) clear
 * it too; a network failure keeps it for the next launch.
 */
function bindPending() {
  if (binding) return binding
  const referral = pending()
  if (!referral) return Promise.resolve(null)
  const request = referral.t
    ? api.post('/api/v1/posters/scans', { scene: posterScene(referral), source: referral.source === 'wxacode' ? 'wxacode' : 'link' }, { silent: true })
    : api.post('/api/v1/distribution/bind', { code: referral.r, source: referral.source || 'link' }, { silent: true })
  binding = request
    .then((outcome) => {
      wx.removeStorageSync(REFERRAL_KEY)
      return outcome
    })
    .catch((err) => {
      if (err && err.status) wx.removeStorageSync(REFERRAL_KEY)
      return null
    })
  const done = () => { binding = null }
  binding.then(done, done)
  return binding
}

module.exports = { parseScene, referralFrom, remember, pending, bindPending, posterScene, REFERRAL_KEY }
