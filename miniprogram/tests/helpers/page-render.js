// Pages rendered with miniprogram-simulate, as DevTools would show them: the page's own WXML
// (compiled by WeChat's compiler), its JS, our components; Vant components stand in as plain
// slots (we test our pages, not Vant). Page({...}) is registered as a component whose methods
// are the page's, so a test calls onLoad / onShow and handlers itself. wx is the shim from
// wx-shim.js with the API answered by a route table (the wx.request boundary).
const path = require('path')
const { createWx } = require('./wx-shim')

const ROOT = path.resolve(__dirname, '../..')
const STUB = { template: '<view class="vant-stub {{disabled ? \'vant-stub--disabled\' : \'\'}}">{{title}}{{text}}{{value}}<slot /></view>',
  properties: { title: { type: null, value: '' }, text: { type: null, value: '' }, value: { type: null, value: '' },
    disabled: { type: null, value: false } } }

function respond(statusCode, data) {
  return { statusCode, data, header: {} }
}

/** A wx whose request answers from `routes`: {'GET /api/v1/orders': body | (req) => [status, body]}. */
function wxWithRoutes(routes, extra) {
  const wx = createWx({
    request: (opts) => {
      const url = new URL(opts.url)
      const key = `${(opts.method || 'GET').toUpperCase()} ${url.pathname}`
      if (!(key in routes)) return respond(404, { error: { code: 'not_found', message: '不存在', fields: {} } })
      const route = routes[key]
      const query = Object.fromEntries(url.searchParams.entries())
      const answer = typeof route === 'function' ? route({ query, body: opts.data, url: opts.url }) : [200, route]
      return respond(answer[0], answer[1])
    },
  })
  wx.setStorageSync('token', 'test-token')
  const modalAnswers = []
  Object.assign(wx, {
    modals: [],
    answerModal: (confirm) => modalAnswers.push(confirm),
    showModal: jest.fn((opts) => {
      wx.modals.push(opts)
      const confirm = modalAnswers.length ? modalAnswers.shift() : true
      if (opts.success) opts.success({ confirm, cancel: !confirm })
    }),
    navigateTo: jest.fn(),
    redirectTo: jest.fn(),
    switchTab: jest.fn(),
    stopPullDownRefresh: jest.fn(),
    pageScrollTo: jest.fn(),
    setClipboardData: jest.fn(),
    previewImage: jest.fn(),
    canIUse: () => true,
  }, extra || {})
  return wx
}

function pageToComponent(definition) {
  const methods = {}
  Object.keys(definition).forEach((key) => {
    if (typeof definition[key] === 'function') methods[key] = definition[key]
  })
  return { data: JSON.parse(JSON.stringify(definition.data || {})), methods }
}

/**
 * Mount `stem` (e.g. 'pages/orders/list'); returns the simulate component. config.js is
 * overridden by `config` (by default sandboxUser '' — the real wx.login / wx.requestPayment path,
 * which the tests fake at the wx boundary). `standIns` maps a built-in tag the simulator leaves
 * empty (rich-text) to a component definition that holds what the page gives it.
 */
function mountPage(stem, config, standIns) {
  let comp
  jest.isolateModules(() => {
    Object.assign(require(path.join(ROOT, 'config')), { sandboxUser: '' }, config || {})
    const simulate = require('miniprogram-simulate')
    const json = require(path.join(ROOT, stem + '.json'))
    const overrides = {}
    Object.keys(json.usingComponents || {}).forEach((name) => {
      if (json.usingComponents[name].indexOf('@vant/') === 0) overrides[name] = simulate.load(Object.assign({}, STUB))
    })
    Object.keys(standIns || {}).forEach((tag) => { overrides[tag] = simulate.load(standIns[tag]) })
    global.Page = (definition) => global.Component(pageToComponent(definition))
    const id = simulate.load(path.join(ROOT, stem), { rootPath: ROOT, usingComponents: overrides })
    comp = simulate.render(id)
    comp.attach(document.createElement('parent-wrapper'))
  })
  return comp
}

/** Let queued promises and setData settle. */
function settle(times) {
  let chain = Promise.resolve()
  for (let i = 0; i < (times || 5); i++) chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, 0)))
  return chain
}

function textOf(comp, selector) {
  const node = selector ? comp.querySelector(selector) : comp
  return node ? node.dom.textContent.replace(/\s+/g, ' ').trim() : ''
}

function allText(comp, selector) {
  return comp.querySelectorAll(selector).map((node) => node.dom.textContent.replace(/\s+/g, ' ').trim())
}

/** A synthetic event as WeChat hands it to a handler. */
function tap(dataset, detail) {
  return { currentTarget: { dataset: dataset || {} }, target: { dataset: dataset || {} }, detail: detail || {} }
}

module.exports = { mountPage, wxWithRoutes, settle, textOf, allText, tap, ROOT }
