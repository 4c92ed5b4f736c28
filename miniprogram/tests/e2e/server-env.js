// Where the e2e server's state is kept, and the environment it (and merchant.py) run with.
const os = require('os')
const path = require('path')

const REPO = path.resolve(__dirname, '../../..')
// set by global-setup (jest's main process); test workers and teardown inherit it
if (!process.env.FENXIAO_E2E_STATE) {
  process.env.FENXIAO_E2E_STATE = path.join(os.tmpdir(), `fenxiao-mp-e2e-${process.pid}.json`)
}
const STATE_FILE = process.env.FENXIAO_E2E_STATE

/** Sandbox mode, embedded backends, our own instance: nothing from the caller's production settings. */
function serverEnv(instance, base) {
  const env = Object.assign({}, process.env)
  for (const key of Object.keys(env)) {
    if (/^(DATABASE_URL|REDIS_URL|RQ_INLINE|WECHAT_|MEDIA_|PRIVATE_MEDIA_ROOT|SECRET_KEY)/.test(key)) delete env[key]
  }
  return Object.assign(env, {
    FENXIAO_INSTANCE_PATH: instance,
    PUBLIC_BASE_URL: base,
    WECHAT_SANDBOX: '1',
    LOG_LEVEL: 'WARNING',
    PYTHONPATH: REPO,
    FLASK_DEBUG: '0',
  })
}

module.exports = { REPO, STATE_FILE, serverEnv }
