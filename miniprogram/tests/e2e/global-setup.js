// Start our Flask server in sandbox mode on a free port with a fresh instance (migrated and
// seeded with the demo shop), for the end-to-end journey. Stopped by global-teardown.js.
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const net = require('net')
const os = require('os')
const path = require('path')
const { STATE_FILE, serverEnv, REPO } = require('./server-env')

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

function flask(env, args) {
  const run = spawnSync(path.join(REPO, '.venv/bin/flask'), ['--app', 'wsgi', ...args],
    { cwd: REPO, env, encoding: 'utf8', timeout: 300000 })
  if (run.status !== 0) throw new Error(`flask ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`)
}

async function waitHealthy(base, server, log) {
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null) break
    try {
      const res = await fetch(base + '/healthz')
      if (res.ok) return
    } catch (e) { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error('the Fenxiao server did not start:\n' + fs.readFileSync(log, 'utf8').slice(-3000))
}

module.exports = async () => {
  if (!fs.existsSync(path.join(REPO, '.venv/bin/flask'))) {
    throw new Error('e2e needs the Python virtualenv: run `make install` (or `make test`) at the repository root')
  }
  const port = await freePort()
  const instance = fs.mkdtempSync(path.join(os.tmpdir(), 'fenxiao-mp-e2e-'))
  const base = `http://127.0.0.1:${port}`
  const env = serverEnv(instance, base)
  flask(env, ['db', 'upgrade'])
  flask(env, ['seed', 'demo', '--if-empty'])
  const log = path.join(instance, 'server.log')
  const out = fs.openSync(log, 'a')
  const server = spawn(path.join(REPO, '.venv/bin/flask'),
    ['--app', 'wsgi', 'run', '--host', '127.0.0.1', '--port', String(port), '--no-reload', '--no-debugger'],
    { cwd: REPO, env, stdio: ['ignore', out, out], detached: true })
  fs.writeFileSync(STATE_FILE, JSON.stringify({ pid: server.pid, base, instance }))
  await waitHealthy(base, server, log)
  server.unref()
}
