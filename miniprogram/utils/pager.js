// Paged lists for pages: first load, pull-to-refresh, infinite scroll, and the state the
// load-state / empty-state components show. `fetch(page, size)` resolves with {items, total}.

/**
 * pager(page, fetch, {key, size}) keeps page.data[key] = {items, status, page, total, empty}:
 * status is loading | error | nomore | '' (more may come).
 */
function pager(pageInstance, fetch, { key = 'list', size = 20 } = {}) {
  let current = 0
  let busy = false
  const set = (patch) => {
    const state = Object.assign({}, pageInstance.data[key] || {}, patch)
    pageInstance.setData({ [key]: state })
  }
  set({ items: [], status: '', page: 0, total: 0, empty: false })

  function load(reset) {
    if (busy) return Promise.resolve()
    const state = pageInstance.data[key]
    if (!reset && (state.status === 'nomore' || state.empty)) return Promise.resolve()
    busy = true
    const next = reset ? 1 : current + 1
    set(reset ? { status: 'loading', empty: false, items: reset === 'keep' ? state.items : [] } : { status: 'loading' })
    return fetch(next, size)
      .then((answer) => {
        const items = (next === 1 ? [] : pageInstance.data[key].items).concat(answer.items || [])
        current = next
        const total = answer.total === undefined ? items.length : answer.total
        const more = items.length < total && (answer.items || []).length > 0
        set({ items, total, page: next, status: more ? '' : (items.length ? 'nomore' : ''), empty: items.length === 0 })
      })
      .catch(() => set({ status: 'error' }))
      .then(() => { busy = false })
  }

  return {
    refresh: () => load('keep'),
    reload: () => load(true),
    more: () => load(false),
  }
}

module.exports = { pager }
