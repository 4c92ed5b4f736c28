/**
 * Paged lists for the order, after-sales and distribution pages: one state shape
 * {items, page, cursor, total, status, empty, done, message} kept under a data key, the next
 * page fetched on demand by the `next_cursor` the last answer gave (null: that was the last
 * page), and answers that arrive after the shopper switched tabs ignored.
 * `status` is what components/load-state shows: loading | error | nomore | ''.
 */

const PAGE_SIZE = 20

function initialList() {
  return { items: [], page: 0, cursor: null, total: 0, status: 'loading', empty: false, done: false, message: '' }
}

/**
 * Load the first page (`reset`) or the next one into ctx.data[key].
 * `fetchPage(cursor, size)` (cursor null for the first page) resolves with an API page
 * {items, total, next_cursor}; `map` shapes each item for the template.
 */
function loadList(ctx, key, fetchPage, options) {
  const opts = options || {}
  const state = ctx.data[key] || initialList()
  if (!opts.reset && (state.done || (state.status === 'loading' && state.page > 0))) return Promise.resolve()
  const tickets = ctx.listTickets || (ctx.listTickets = {})
  const ticket = (tickets[key] || 0) + 1
  tickets[key] = ticket
  const next = opts.reset ? 1 : state.page + 1
  const cursor = opts.reset ? null : state.cursor
  const before = opts.reset ? [] : state.items
  const loading = { [`${key}.status`]: 'loading', [`${key}.message`]: '' }
  if (opts.reset && !opts.keepItems) Object.assign(loading, { [`${key}.items`]: [], [`${key}.empty`]: false })
  ctx.setData(loading)
  const size = opts.size || PAGE_SIZE
  return Promise.resolve()
    .then(() => fetchPage(cursor, size))
    .then((answer) => {
      if (tickets[key] !== ticket) return
      const fresh = ((answer && answer.items) || []).map(opts.map || ((item) => item))
      const items = before.concat(fresh)
      const total = answer && typeof answer.total === 'number' ? answer.total : items.length
      const following = (answer && answer.next_cursor) || null
      const done = !following || fresh.length === 0
      ctx.setData({
        [key]: {
          items, page: next, cursor: following, total, done, empty: items.length === 0, message: '',
          status: done && items.length > 0 && next > 1 ? 'nomore' : '',
        },
      })
    })
    .catch((err) => {
      if (tickets[key] !== ticket) return
      ctx.setData({ [`${key}.status`]: 'error', [`${key}.message`]: (err && err.message) || '加载失败' })
    })
}

module.exports = { PAGE_SIZE, initialList, loadList }
