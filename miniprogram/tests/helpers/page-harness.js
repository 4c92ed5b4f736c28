// Run a page's own js in Node: Page({...}) is captured and given a minimal instance with
// data, setData (including 'a.b' paths) and its methods, as the mini-program runtime would.
const path = require('path')

const ROOT = path.resolve(__dirname, '../..')

function setPath(target, key, value) {
  const parts = key.split('.')
  let node = target
  for (let i = 0; i < parts.length - 1; i++) {
    if (typeof node[parts[i]] !== 'object' || node[parts[i]] === null) node[parts[i]] = {}
    node = node[parts[i]]
  }
  node[parts[parts.length - 1]] = value
}

/** Load pages/<name>.js in a fresh module registry (config.js overridden by `config`); returns a page instance. */
function loadPage(name, { app, config } = {}) {
  let definition = null
  global.Page = (def) => { definition = def }
  global.getApp = () => app || { globalData: {}, ready: Promise.resolve() }
  jest.isolateModules(() => {
    if (config) Object.assign(require(path.join(ROOT, 'config')), config)
    require(path.join(ROOT, 'pages', name))
  })
  delete global.Page
  const page = { data: JSON.parse(JSON.stringify(definition.data || {})) }
  Object.keys(definition).forEach((key) => {
    if (key !== 'data') page[key] = typeof definition[key] === 'function' ? definition[key].bind(page) : definition[key]
  })
  page.setData = (patch, callback) => {
    Object.keys(patch).forEach((key) => setPath(page.data, key, JSON.parse(JSON.stringify(patch[key] === undefined ? null : patch[key]))))
    if (callback) callback()
  }
  return page
}

/** Let pending promise chains (fake requests answer on the microtask queue) settle. */
function flush(times = 10) {
  let chain = Promise.resolve()
  for (let i = 0; i < times; i++) chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, 0)))
  return chain
}

/** Wait (polling) until check() is truthy; fails after `timeout` ms. */
async function until(check, timeout = 15000, what = 'condition') {
  const start = Date.now()
  while (Date.now() - start < timeout) {
    const value = check()
    if (value) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('timed out waiting for ' + what)
}

module.exports = { loadPage, flush, until }
