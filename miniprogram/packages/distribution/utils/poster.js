/**
 * My invite poster: GET /posters/invite answers 200 {url, width, height} when the poster is
 * ready, or 202 {status: "rendering", poll} while it is drawn; we ask the poll URL again a few
 * times, a little apart, until it is ready. Relative /media/ URLs are made absolute for
 * wx.downloadFile and <image>.
 */
const api = require('../../../utils/api')
const config = require('../../../config')

const POLL_MS = 1500
const MAX_POLLS = 20

function absolute(url) {
  if (!url) return ''
  return /^https?:\/\//.test(url) ? url : config.apiBase + (url.charAt(0) === '/' ? url : `/${url}`)
}

function isRendering(answer) {
  return Boolean(answer) && !answer.url && answer.status === 'rendering'
}

/** Resolves with {url, width, height, template} once the poster exists. `wait(ms)` is injectable. */
function fetchInvitePoster(template, options) {
  const opts = options || {}
  const wait = opts.wait || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  const first = api.get('/posters/invite', { template }, { silent: true })
  const poll = (answer, count) => {
    if (!isRendering(answer)) return Object.assign({}, answer, { url: absolute(answer.url) })
    if (count >= MAX_POLLS) throw new api.ApiError({ status: 202, code: 'poster_slow', message: '海报生成较慢，请稍后再试' })
    return wait(POLL_MS)
      .then(() => api.get(answer.poll || '/posters/invite', answer.poll ? {} : { template }, { silent: true }))
      .then((next) => poll(next, count + 1))
  }
  return first.then((answer) => poll(answer, 0))
}

module.exports = { fetchInvitePoster, absolute, isRendering, POLL_MS, MAX_POLLS }
