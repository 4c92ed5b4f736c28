#!/usr/bin/env node
// Build miniprogram_npm/ from node_modules the way DevTools' "构建 npm" does: each dependency's
// `miniprogram` folder (package.json field, default miniprogram_dist) is copied to
// miniprogram_npm/<name>/. Unlike DevTools we copy only the files our pages and components
// reach (usingComponents, require, wxs/import/include, @import), which keeps the main package
// far under WeChat's 2 MB limit. `--all` copies the whole folders, as DevTools does.
const fs = require('fs')
const path = require('path')

const ROOT = path.resolve(__dirname, '..')
const OUT = path.join(ROOT, 'miniprogram_npm')
const SKIP_DIRS = new Set(['node_modules', 'miniprogram_npm', 'tests', 'scripts', 'coverage'])
const COMPONENT_EXTS = ['.js', '.json', '.wxml', '.wxss']

function dependencies() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  return Object.keys(pkg.dependencies || {}).map((name) => {
    const dir = path.join(ROOT, 'node_modules', name)
    const depPkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
    return { name, src: path.join(dir, depPkg.miniprogram || 'miniprogram_dist') }
  })
}

function walk(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path.join(dir, entry.name), found)
    } else {
      found.push(path.join(dir, entry.name))
    }
  }
  return found
}

/** Every npm component path ("@vant/weapp/button/index") our own json files use. */
function usedNpmComponents() {
  const used = new Set()
  for (const file of walk(ROOT)) {
    if (!file.endsWith('.json') || /package(-lock)?\.json$|project\.config\.json$/.test(file)) continue
    let json
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'))
    } catch (e) {
      continue
    }
    for (const ref of Object.values(json.usingComponents || {})) {
      if (!ref.startsWith('.') && !ref.startsWith('/')) used.add(ref)
    }
  }
  return used
}

/** Files a file refers to, resolved to absolute paths (relative references only). */
function referencesOf(file) {
  const text = fs.readFileSync(file, 'utf8')
  const dir = path.dirname(file)
  const refs = []
  const add = (ref, exts) => {
    if (!ref.startsWith('.')) return
    const base = path.resolve(dir, ref)
    const candidates = [base].concat(exts.map((ext) => base + ext), exts.map((ext) => path.join(base, 'index' + ext)))
    for (const candidate of candidates) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        refs.push(candidate)
        if (exts === COMPONENT_EXTS) continue
        break
      }
    }
  }
  if (file.endsWith('.js')) {
    for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1], ['.js'])
  } else if (file.endsWith('.json')) {
    try {
      for (const ref of Object.values(JSON.parse(text).usingComponents || {})) add(ref, COMPONENT_EXTS)
    } catch (e) { /* not a component json */ }
  } else if (file.endsWith('.wxml')) {
    for (const m of text.matchAll(/<(?:wxs|import|include)\s[^>]*src=["']([^"']+)["']/g)) add(m[1], ['.wxs', '.wxml'])
  } else if (file.endsWith('.wxs')) {
    for (const m of text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1], ['.wxs'])
  } else if (file.endsWith('.wxss')) {
    for (const m of text.matchAll(/@import\s+['"]([^'"]+)['"]/g)) add(m[1], ['.wxss'])
  }
  return refs
}

function copyFile(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true })
  fs.copyFileSync(from, to)
}

function build({ all = false } = {}) {
  fs.rmSync(OUT, { recursive: true, force: true })
  const used = usedNpmComponents()
  let count = 0
  for (const dep of dependencies()) {
    const target = path.join(OUT, dep.name)
    if (all) {
      fs.cpSync(dep.src, target, { recursive: true })
      continue
    }
    const queue = []
    for (const ref of used) {
      if (!ref.startsWith(dep.name + '/')) continue
      const base = path.join(dep.src, ref.slice(dep.name.length + 1))
      for (const ext of COMPONENT_EXTS) if (fs.existsSync(base + ext)) queue.push(base + ext)
    }
    const seen = new Set()
    while (queue.length) {
      const file = queue.pop()
      if (seen.has(file)) continue
      seen.add(file)
      queue.push(...referencesOf(file))
      // a component's siblings (index.wxml of index.js) travel together
      const stem = file.replace(/\.(js|json|wxml|wxss)$/, '')
      if (stem !== file && fs.existsSync(stem + '.json')) {
        for (const ext of COMPONENT_EXTS) if (fs.existsSync(stem + ext)) queue.push(stem + ext)
      }
    }
    for (const file of seen) {
      copyFile(file, path.join(target, path.relative(dep.src, file)))
      count++
    }
  }
  return count
}

if (require.main === module) {
  const count = build({ all: process.argv.includes('--all') })
  console.log(`miniprogram_npm built (${process.argv.includes('--all') ? 'all files' : count + ' files'})`)
}

module.exports = { build }
