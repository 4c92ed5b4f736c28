// A sold-out product is shown as sold out, never as gone: greyed with 已售罄 on its card (home,
// list and search results) and on its page, where buying is disabled.
const { mountPage, wxWithRoutes, settle, textOf, allText, tap } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
  delete global.getApp
})

const soldOut = {
  id: 5, title: '连帽卫衣', subtitle: '', cover_url: 'https://img/5.jpg', min_price_fen: 5900, original_price_fen: 0,
  sales: 12, is_hot: false, is_new: false, sold_out: true,
}
const inStock = Object.assign({}, soldOut, { id: 6, title: '纯棉T恤', sold_out: false })

/** What each product card shows: title, its state mask, and whether it is greyed as sold out. */
function cards(page, item) {
  const titles = allText(page, item + ' >>> .card__title')
  return titles.map((title, index) => {
    const card = page.querySelectorAll(item + ' >>> .card')[index]
    return { title, state: card.dom.textContent.includes('已售罄') ? '已售罄' : '',
      greyed: card.dom.className.includes('card--sold_out') }
  })
}

describe('sold-out products on lists', () => {
  test('the home page shows a sold-out recommended product greyed with 已售罄', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/home': { banners: [], modules: [], categories: [], recommended: [soldOut, inStock] } })
    const page = mountPage('pages/home/index')
    page.instance.onLoad()
    await settle()
    expect(cards(page, '.grid__item')).toEqual([
      { title: '连帽卫衣', state: '已售罄', greyed: true },
      { title: '纯棉T恤', state: '', greyed: false },
    ])
  })

  test('a search result list shows a sold-out product greyed with 已售罄, and it still opens', async () => {
    global.wx = wxWithRoutes({ 'GET /api/v1/products': { items: [soldOut], total: 1, page: 1, size: 20 } },
      { setNavigationBarTitle: jest.fn() })
    const page = mountPage('pages/list/index')
    page.instance.onLoad({ keyword: encodeURIComponent('卫衣') })
    await settle()
    expect(cards(page, '.items__cell')).toEqual([{ title: '连帽卫衣', state: '已售罄', greyed: true }])
    page.querySelectorAll('.items__cell >>> .card')[0].dispatchEvent('tap')
    await settle()
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/product/index?id=5' })
  })
})

describe('a sold-out product page', () => {
  const detail = Object.assign({}, soldOut, {
    image_urls: ['https://img/5.jpg'], detail_html: '', share: { title: '', image_url: '' }, ships_free: true,
    stock: 0, spec_matrix: [{ name: '尺码', values: ['M'] }],
    skus: [{ id: 51, specs: { 尺码: 'M' }, price_fen: 5900, original_price_fen: 0, stock: 0, weight_g: 0, image_url: '' }],
  })

  function openPage() {
    global.wx = wxWithRoutes({ 'GET /api/v1/products/5': detail, 'GET /api/v1/cart': { items: [], totals: { quantity: 0 } } },
      { setNavigationBarTitle: jest.fn(), showShareMenu: jest.fn() })
    global.getApp = () => ({})
    const page = mountPage('pages/product/index')
    page.instance.onLoad({ id: '5' })
    return settle().then(() => page)
  }

  test('says 已售罄 on the picture, the title and the stock, and both buy buttons are disabled', async () => {
    const page = await openPage()
    expect(page.querySelector('.gallery--sold-out')).toBeTruthy()
    expect(textOf(page, '.gallery__soldout')).toBe('已售罄')
    expect(textOf(page, '.info__title')).toBe('已售罄连帽卫衣')
    const stubs = Array.from(page.dom.querySelectorAll('.vant-stub'))  // Vant stands in as plain stubs
    expect(stubs.map((node) => node.textContent.trim())).toContain('库存已售罄')
    const buttons = stubs.filter((node) => node.parentNode.tagName.toLowerCase() === 'van-goods-action-button')
    expect(buttons.map((node) => [node.textContent.trim(), node.classList.contains('vant-stub--disabled')]))
      .toEqual([['加入购物车', true], ['已售罄', true]])
  })

  test('choosing a spec or buying says it is sold out instead of opening the picker', async () => {
    const page = await openPage()
    page.instance.openPicker(tap({ action: 'buy' }))
    expect(page.instance.data.pickerShow).toBe(false)
    expect(wx.toasts.map((toast) => toast.title)).toContain('商品已售罄')
  })
})
