// The logged-in shopper's agent status (GET /api/v1/distribution/me), cached for the session:
// pages use it for commission badges and to put the agent's invite code into shares.
const api = require('./api')

const TTL_MS = 60 * 1000
let cached = null
let cachedAt = 0

function profile(force) {
  if (!force && cached && Date.now() - cachedAt < TTL_MS) return Promise.resolve(cached)
  return api.get('/api/v1/distribution/me', {}, { silent: true })
    .then((summary) => {
      cached = summary
      cachedAt = Date.now()
      return summary
    })
    .catch(() => ({ is_agent: false, invite_code: null }))
}

/** The invite code to put in a share (only an active agent's), or ''. */
function inviteCode() {
  return cached && cached.is_agent && cached.invite_code ? cached.invite_code : ''
}

/** A page path with the agent's code added as r= (shares carry it so the receiver binds). */
function sharePath(path, query) {
  const pairs = []
  const all = Object.assign({}, query || {})
  const code = inviteCode()
  if (code) all.r = code
  Object.keys(all).forEach((key) => {
    if (all[key] !== undefined && all[key] !== null && all[key] !== '') pairs.push(key + '=' + encodeURIComponent(all[key]))
  })
  return pairs.length ? path + '?' + pairs.join('&') : path
}

/**
 * Products with `commission_fen` filled in for an active agent (GET /distribution/estimates:
 * what they earn on one unit); the same products unchanged for everyone else.
 */
function withCommission(products) {
  const list = products || []
  if (!cached || !cached.is_agent || !list.length) return Promise.resolve(list)
  const ids = list.map((product) => product.id).slice(0, 50)
  return api.get('/api/v1/distribution/estimates', { product_ids: ids.join(',') }, { silent: true })
    .then((answer) => list.map((product) => {
      const fen = (answer.items || {})[String(product.id)]
      return fen === undefined ? product : Object.assign({}, product, { commission_fen: fen })
    }))
    .catch(() => list)
}

function forget() {
  cached = null
  cachedAt = 0
}

module.exports = { profile, inviteCode, sharePath, withCommission, forget }
