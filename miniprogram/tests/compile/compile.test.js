// Every page and component compiles with WeChat's own compilers (miniprogram-compiler's wcc and
// wcsc binaries), and app.json's pages and subpackages all exist with their four files.
const fs = require('fs')
const path = require('path')
const { compileWxml, compileWxss, ROOT } = require('../helpers/wechat-compiler')

const appJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'))
const pages = appJson.pages.concat(...appJson.subPackages.map((sub) => sub.pages.map((p) => sub.root + '/' + p)))

function ownComponents() {
  const dir = path.join(ROOT, 'components')
  return fs.readdirSync(dir).map((name) => 'components/' + name + '/index')
}

function runTemplate(source, file) {
  // wcc's output targets the mini-program's WebView: give it a window and ask for the page.
  const window = {}
  const $gwx = new Function('window', '__wxAppCode__', 'global', source + '; return $gwx;')(window, {}, {})
  return $gwx(file)
}

describe('WXML', () => {
  const result = compileWxml()

  test('wcc compiles the whole project', () => {
    expect(result.stderr).toBe('')
    expect(result.ok).toBe(true)
  })

  test.each(pages.concat(ownComponents()))('%s.wxml compiles and renders with empty data', (stem) => {
    const render = runTemplate(result.source, stem + '.wxml')
    expect(typeof render).toBe('function')
    expect(render({}, {}, {}).tag).toBe('wx-page')
  })
})

describe('WXSS', () => {
  const result = compileWxss()

  test('wcsc compiles the whole project', () => {
    expect(result.stderr).toBe('')
    expect(result.ok).toBe(true)
  })

  test.each(pages.concat(ownComponents()))('%s.wxss is compiled', (stem) => {
    expect(Object.keys(result.map)).toContain(stem + '.wxss')
  })
})

test.each(pages)('app.json page %s has its js, json, wxml and wxss', (stem) => {
  for (const ext of ['.js', '.json', '.wxml', '.wxss']) {
    expect(fs.existsSync(path.join(ROOT, stem + ext))).toBe(true)
  }
})

test('a broken template fails the compiler', () => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'wcc-'))
  fs.writeFileSync(path.join(dir, 'broken.wxml'), '<view>{{ price </view')
  const { spawnSync } = require('child_process')
  const bin = path.join(path.dirname(require.resolve('miniprogram-compiler/package.json')), 'bin', 'linux', 'wcc')
  const run = spawnSync(bin, ['-d', '-cc', '0', 'broken.wxml', '-gn', '$gwx'], { cwd: dir })
  expect(run.status).not.toBe(0)
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('usingComponents', () => {
  const { build } = require('../../scripts/build-npm')
  const jsonFiles = []
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = dir ? dir + '/' + entry.name : entry.name
      if (entry.isDirectory()) {
        if (!['node_modules', 'miniprogram_npm', 'tests', 'scripts', 'coverage'].includes(entry.name)) walk(relative)
      } else if (entry.name.endsWith('.json') && fs.existsSync(path.join(ROOT, relative.replace(/\.json$/, '.wxml')))) {
        jsonFiles.push(relative)
      }
    }
  }
  walk('')
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'miniprogram_npm'))) build()
  })

  test.each(jsonFiles)('every component %s uses exists', (file) => {
    const json = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))
    const missing = Object.entries(json.usingComponents || {}).filter(([, ref]) => {
      const target = ref.startsWith('/') ? path.join(ROOT, ref)
        : ref.startsWith('.') ? path.join(ROOT, path.dirname(file), ref)
          : path.join(ROOT, 'miniprogram_npm', ref)
      return !fs.existsSync(target + '.json') || !fs.existsSync(target + '.js')
    })
    expect(missing).toEqual([])
  })
})
