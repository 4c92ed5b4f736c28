// WeChat refuses a main package over 2 MB. Count what DevTools would upload in it: everything
// outside the subpackages and the tooling (node_modules, tests, scripts, npm files), with the
// built miniprogram_npm. Product images come from the server: none are shipped.
const fs = require('fs')
const path = require('path')
const { build } = require('../../scripts/build-npm')

const ROOT = path.resolve(__dirname, '../..')
const LIMIT = 2 * 1024 * 1024
const appJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'))
const SUBPACKAGE_ROOTS = appJson.subPackages.map((sub) => sub.root)
const NOT_UPLOADED = new Set(['node_modules', 'tests', 'scripts', 'coverage', 'package.json', 'package-lock.json',
  'jest.config.js', '.gitignore'])

function mainPackageFiles(dir = ROOT, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const relative = path.relative(ROOT, full).split(path.sep).join('/')
    if (dir === ROOT && NOT_UPLOADED.has(entry.name)) continue
    if (SUBPACKAGE_ROOTS.some((root) => relative === root || relative.startsWith(root + '/'))) continue
    if (entry.isDirectory()) mainPackageFiles(full, found)
    else found.push({ relative, size: fs.statSync(full).size })
  }
  return found
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'miniprogram_npm'))) build()
})

test('the main package (with miniprogram_npm) stays under 2 MB', () => {
  const files = mainPackageFiles()
  const total = files.reduce((sum, file) => sum + file.size, 0)
  expect(files.some((file) => file.relative.startsWith('miniprogram_npm/@vant/weapp/'))).toBe(true)
  expect(total).toBeLessThan(LIMIT)
})

test('the distribution centre and after-sales are subpackages', () => {
  expect(SUBPACKAGE_ROOTS).toEqual(expect.arrayContaining(['packages/distribution', 'packages/after-sales']))
})

test('no product images are shipped: the only images are the tab bar icons, each under 40 KB', () => {
  const images = mainPackageFiles().filter((file) => /\.(png|jpe?g|gif|webp|bmp)$/i.test(file.relative))
  const tabIcons = appJson.tabBar.list.flatMap((tab) => [tab.iconPath, tab.selectedIconPath])
  expect(images.map((file) => file.relative).sort()).toEqual(tabIcons.sort())
  expect(images.filter((file) => file.size >= 40 * 1024)).toEqual([])
})
