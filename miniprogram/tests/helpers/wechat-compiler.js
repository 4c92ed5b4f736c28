// Run WeChat's own wcc (WXML) and wcsc (WXSS) compilers from the miniprogram-compiler package
// over the project. We call the shipped binaries with the same arguments as the package's
// wrapper but build the file list ourselves: the wrapper resolves usingComponents as relative
// paths, which breaks on npm components ("@vant/weapp/button/index") and absolute ones.
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')

const ROOT = path.resolve(__dirname, '../..')
const BIN = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin',
  process.platform === 'darwin' ? 'mac' : process.platform === 'linux' ? 'linux' : 'windows')
const SKIP = new Set(['node_modules', 'tests', 'scripts', 'coverage'])

function projectFiles(ext, dir = ROOT, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name) && !entry.name.startsWith('.')) projectFiles(ext, full, found)
    } else if (entry.name.endsWith(ext)) {
      found.push(path.relative(ROOT, full).split(path.sep).join('/'))
    }
  }
  return found.sort()
}

function jsonOf(stem) {
  const file = path.join(ROOT, stem + '.json')
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null
}

function binary(name) {
  const file = path.join(BIN, process.platform === 'win32' ? name + '.exe' : name)
  try { fs.chmodSync(file, 0o755) } catch (e) { /* read-only install: hope it is executable */ }
  return file
}

/** Compile every .wxml (with every .wxs); returns {ok, stderr, source}. */
function compileWxml() {
  const wxml = projectFiles('.wxml')
  const wxs = projectFiles('.wxs')
  const components = []
  let count = 0
  for (const file of wxml) {
    const json = jsonOf(file.slice(0, -5))
    if (json && json.usingComponents) {
      const names = Object.keys(json.usingComponents)
      components.push(file, names.length, ...names)
      count++
    }
  }
  const args = ['-d', '-cc', [count, ...components].join(' '), ...wxml, ...wxs, '-gn', '$gwx']
  const run = spawnSync(binary('wcc'), args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
  if (run.error) throw run.error
  return { ok: run.status === 0, stderr: run.stderr.toString(), source: run.stdout.toString(), files: wxml }
}

/** Compile every .wxss (component styles first, as the wrapper does); returns {ok, stderr, map}. */
function compileWxss() {
  const all = projectFiles('.wxss')
  const components = all.filter((file) => jsonOf(file.slice(0, -5)))
  const others = all.filter((file) => !components.includes(file))
  const args = ['-db', '-pc', String(components.length), ...components, ...others]
  const run = spawnSync(binary('wcsc'), args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
  if (run.error) throw run.error
  const map = {}
  if (run.status === 0) {
    const parts = run.stdout.toString().split('=')
    for (let i = 0; i + 1 < parts.length; i += 2) map[parts[i]] = parts[i + 1]
  }
  return { ok: run.status === 0, stderr: run.stderr.toString(), map, files: all }
}

module.exports = { compileWxml, compileWxss, projectFiles, ROOT }
