// Login with wx.login → POST /api/v1/auth/wx-login; the bearer token lives in storage key "token".
const config = require('../config')
const http = require('./http')
const errors = require('./errors')

const TOKEN_KEY = 'token'
const USER_KEY = 'user'
let pendingLogin = null
const listeners = []

function getToken() {
  return wx.getStorageSync(TOKEN_KEY) || ''
}

function setToken(token) {
  wx.setStorageSync(TOKEN_KEY, token)
}

function clearToken() {
  wx.removeStorageSync(TOKEN_KEY)
}

function cachedUser() {
  return wx.getStorageSync(USER_KEY) || null
}

function wxLoginCode() {
  if (config.sandboxUser) {
    // the sandbox's dev code for one user; each must be fresh, so a unique suffix
    return Promise.resolve('dev:' + config.sandboxUser + ':' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8))
  }
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error('wx.login returned no code'))),
      fail: reject,
    })
  })
}

/** Log in afresh (concurrent callers share one round trip); resolves with the user. */
function login() {
  if (pendingLogin) return pendingLogin
  pendingLogin = wxLoginCode()
    .then((code) => http.send({ method: 'POST', path: '/api/v1/auth/wx-login', body: { code } })
      .catch((err) => { throw errors.networkError(err) }))
    .then((res) => {
      if (res.statusCode < 200 || res.statusCode >= 300) throw errors.fromResponse(res.statusCode, res.data)
      setToken(res.data.token)
      wx.setStorageSync(USER_KEY, res.data.user)
      listeners.forEach((fn) => {
        try { fn(res.data.user) } catch (e) { /* a listener never breaks login */ }
      })
      return res.data.user
    })
  const done = () => { pendingLogin = null }
  pendingLogin.then(done, done)
  return pendingLogin
}

/** Resolve at once when a token is stored, else log in. */
function ensureLogin() {
  return getToken() ? Promise.resolve(cachedUser()) : login()
}

/** Run fn(user) after every successful login (e.g. binding a pending referral). */
function onLogin(fn) {
  listeners.push(fn)
}

function logout() {
  clearToken()
  wx.removeStorageSync(USER_KEY)
}

module.exports = { login, ensureLogin, onLogin, getToken, setToken, clearToken, cachedUser, logout, TOKEN_KEY }
