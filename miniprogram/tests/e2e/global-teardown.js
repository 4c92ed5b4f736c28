const fs = require('fs')
const { STATE_FILE } = require('./server-env')

module.exports = async () => {
  if (!fs.existsSync(STATE_FILE)) return
  const { pid, instance } = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'))
  try {
    process.kill(-pid, 'SIGTERM') // the server's own process group (spawned detached)
  } catch (e) { /* already gone */ }
  fs.rmSync(STATE_FILE, { force: true })
  if (!process.env.FENXIAO_E2E_KEEP) fs.rmSync(instance, { recursive: true, force: true })
}
