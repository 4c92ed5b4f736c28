// The product detail as the server serves it (tests/fixtures/product_detail.served.html, checked
// against the editor's document by tests/test_catalog_richtext.py) reaches the page's rich-text
// whole, and holds only what rich-text shows: headings, fitted pictures, a ruled table.
const fs = require('fs')
const path = require('path')
const { mountPage, wxWithRoutes, settle } = require('../helpers/page-render')

const SERVED = fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/product_detail.served.html'), 'utf8').trim()
// The simulator leaves rich-text empty: this stand-in holds the nodes the page gives it.
const RICH_TEXT = { template: '<view></view>', properties: { nodes: { type: null, value: '' } } }
// The tags WeChat's rich-text renders (its documentation's list); others it drops.
const RICH_TEXT_TAGS = new Set(('a abbr address article aside b bdi bdo big blockquote br caption center cite code col '
  + 'colgroup dd del div dl dt em fieldset font footer h1 h2 h3 h4 h5 h6 header hr i img ins label legend li mark nav '
  + 'ol p pre q rt ruby s section small span strong sub sup table tbody td tfoot th thead tr tt u ul').split(' '))

const product = {
  id: 5, title: '明前龙井', subtitle: '', cover_url: 'https://img/5.jpg', min_price_fen: 5900, original_price_fen: 0,
  sales: 1, is_hot: false, is_new: false, sold_out: false, image_urls: ['https://img/5.jpg'], detail_html: SERVED,
  share: { title: '', image_url: '' }, ships_free: true, stock: 3, spec_matrix: [],
  skus: [{ id: 51, specs: {}, price_fen: 5900, original_price_fen: 0, stock: 3, weight_g: 0, image_url: '' }],
}

afterEach(() => {
  delete global.wx
  delete global.getApp
})

async function detailNodes() {
  global.wx = wxWithRoutes({ 'GET /api/v1/products/5': product, 'GET /api/v1/cart': { items: [], totals: { quantity: 0 } } },
    { setNavigationBarTitle: jest.fn(), showShareMenu: jest.fn() })
  global.getApp = () => ({})
  const page = mountPage('pages/product/index', undefined, { 'rich-text': RICH_TEXT })
  page.instance.onLoad({ id: '5' })
  await settle()
  const richText = page.querySelector('.detail__html')
  return richText ? richText.data.nodes : null
}

describe('the product detail in rich-text', () => {
  test('is the served document, whole', async () => {
    expect(await detailNodes()).toBe(SERVED)
  })

  test('holds the headings, two pictures that fit the screen and a ruled table', async () => {
    const doc = new DOMParser().parseFromString(await detailNodes(), 'text/html')
    const texts = (selector) => Array.from(doc.querySelectorAll(selector)).map((node) => node.textContent)
    expect(texts('h1, h2, h3')).toEqual(['明前龙井 · 2026 新茶', '产品特点', '冲泡方法', '规格参数'])
    const pictures = Array.from(doc.querySelectorAll('img'))
    expect(pictures.map((img) => img.getAttribute('src'))).toEqual(
      ['https://img.example.com/tea/leaf.jpg', 'https://img.example.com/tea/cup.jpg'])
    expect(pictures.map((img) => [img.style.maxWidth, img.style.width, img.style.height])).toEqual(
      [['100%', '100%', 'auto'], ['100%', '50%', 'auto']])
    expect(texts('th')).toEqual(['品名', '明前龙井'])
    expect(texts('td')).toEqual(['净含量', '250 克', '保质期', '18 个月'])
    expect(Array.from(doc.querySelectorAll('th, td')).every((cell) => cell.style.border.includes('1px solid'))).toBe(true)
    expect(doc.querySelector('table').style.width).toBe('100%')
    expect(doc.querySelector('h1').style.textAlign).toBe('center')
  })

  test('uses no tag that rich-text would drop', async () => {
    const doc = new DOMParser().parseFromString(await detailNodes(), 'text/html')
    const tags = Array.from(doc.body.querySelectorAll('*')).map((node) => node.tagName.toLowerCase())
    expect(tags.filter((tag) => !RICH_TEXT_TAGS.has(tag))).toEqual([])
  })
})
