// Our components rendered with miniprogram-simulate (WeChat's official template compiler).
const path = require('path')
const simulate = require('miniprogram-simulate')
const { createWx } = require('../helpers/wx-shim')

const ROOT = path.resolve(__dirname, '../..')

const loaded = {}

function mount(name, props) {
  // Components' js runs through require(): each root component is loaded once, in its own module
  // registry, so the components it uses register with it too.
  if (!loaded[name]) {
    jest.isolateModules(() => {
      const sim = require('miniprogram-simulate')
      loaded[name] = { sim, id: sim.load(path.join(ROOT, 'components', name, 'index'), { rootPath: ROOT }) }
    })
  }
  const comp = loaded[name].sim.render(loaded[name].id, props)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

function text(comp, selector) {
  const node = selector ? comp.querySelector(selector) : comp
  return node ? node.dom.textContent.replace(/\s+/g, '') : null
}

beforeEach(() => {
  global.wx = Object.assign(createWx(), { navigateTo: jest.fn() })
})

afterEach(() => {
  delete global.wx
})

describe('price', () => {
  test('shows yuan from fen', async () => {
    expect(text(mount('price', { fen: 1234 }))).toBe('¥12.34')
  })
  test('shows negatives and small amounts', async () => {
    expect(text(mount('price', { fen: -5 }))).toBe('-¥0.05')
    expect(text(mount('price', { fen: 7 }))).toBe('¥0.07')
  })
  test('follows a changed amount', async () => {
    const comp = mount('price', { fen: 100 })
    comp.setData({ fen: 250099 })
    await simulate.sleep(0)
    expect(text(comp)).toBe('¥2500.99')
  })
})

describe('commission-badge', () => {
  test('shows what an agent earns', async () => {
    expect(text(mount('commission-badge', { fen: 1250, agent: true }))).toBe('赚¥12.50')
  })
  test('hidden from shoppers who are not agents', async () => {
    expect(text(mount('commission-badge', { fen: 1250, agent: false }))).toBe('')
  })
  test('hidden when there is nothing to earn', async () => {
    expect(text(mount('commission-badge', { fen: 0, agent: true }))).toBe('')
  })
})

const product = {
  id: 12, title: '明前龙井', subtitle: '', cover_url: 'https://example.invalid/1.jpg', min_price_fen: 8800,
  original_price_fen: 9900, sales: 31, is_hot: true, is_new: false, sold_out: false,
}

describe('product-card', () => {
  test('a product on sale: title, price, list price, no state, opens the product', async () => {
    const comp = mount('product-card', { product })
    expect(text(comp, '.card__title')).toBe('热卖明前龙井')
    expect(text(comp, '.card__price >>> .price')).toBe('¥88.00')
    expect(comp.querySelector('.card__mask')).toBeFalsy()
    comp.querySelector('.card').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/product/index?id=12' })
  })
  test('sold out: marked 已售罄 and still opens', async () => {
    const comp = mount('product-card', { product: { ...product, sold_out: true } })
    expect(text(comp, '.card__mask')).toBe('已售罄')
    expect(comp.querySelector('.card--sold_out')).toBeTruthy()
    comp.querySelector('.card').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(wx.navigateTo).toHaveBeenCalled()
  })
  test('off shelf: marked 已下架 and does not open', async () => {
    const comp = mount('product-card', { product: { ...product, off_shelf: true } })
    expect(text(comp, '.card__mask')).toBe('已下架')
    comp.querySelector('.card').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(wx.navigateTo).not.toHaveBeenCalled()
    expect(wx.toasts[0].title).toBe('该商品已下架')
  })
  test('an agent sees the commission badge', async () => {
    const comp = mount('product-card', { product, agent: true, commissionFen: 880 })
    expect(text(comp, '.card__body >>> .badge')).toBe('赚¥8.80')
  })
})

describe('load-state and empty-state', () => {
  test('error state retries on tap', async () => {
    const comp = mount('load-state', { status: 'error', message: '网络不给力' })
    const retry = jest.fn()
    comp.addEventListener('retry', retry)
    expect(text(comp)).toBe('网络不给力重试')
    comp.querySelector('.state__retry').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(retry).toHaveBeenCalled()
  })
  test('loading and no-more', async () => {
    expect(text(mount('load-state', { status: 'loading' }))).toBe('加载中…')
    expect(text(mount('load-state', { status: 'nomore' }))).toBe('没有更多了')
    expect(text(mount('load-state', { status: '' }))).toBe('')
  })
  test('empty state with an action', async () => {
    const comp = mount('empty-state', { text: '购物车是空的', actionText: '去逛逛' })
    const action = jest.fn()
    comp.addEventListener('action', action)
    expect(text(comp)).toBe('购物车是空的去逛逛')
    comp.querySelector('.empty__action').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(action).toHaveBeenCalled()
  })
})

const tea = {
  id: 3, title: '茶', cover_url: '', min_price_fen: 5000, stock: 7,
  spec_matrix: [{ name: '重量', values: ['100g', '250g'] }, { name: '包装', values: ['罐装', '袋装'] }],
  skus: [
    { id: 31, specs: { 重量: '100g', 包装: '罐装' }, price_fen: 5000, stock: 5, image_url: '' },
    { id: 32, specs: { 重量: '100g', 包装: '袋装' }, price_fen: 4500, stock: 0, image_url: '' },
    { id: 33, specs: { 重量: '250g', 包装: '罐装' }, price_fen: 11000, stock: 2, image_url: '' },
  ],
}

describe('sku-picker', () => {
  function values(comp) {
    return comp.querySelectorAll('.spec__value').map((node) => ({
      value: node.dom.textContent, on: node.dom.className.includes('--on'), off: node.dom.className.includes('--off'),
    }))
  }

  test('asks for the missing specs and does not confirm without a SKU', async () => {
    const comp = mount('sku-picker', { show: true, product: tea })
    expect(text(comp, '.sheet__tip')).toBe('请选择重量包装')
    const confirm = jest.fn()
    comp.addEventListener('confirm', confirm)
    comp.querySelector('.sheet__btn--cart').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(confirm).not.toHaveBeenCalled()
    expect(wx.toasts[0].title).toBe('请选择 重量 包装')
  })

  test('choosing values names the SKU, its price and stock, and disables sold-out combinations', async () => {
    const comp = mount('sku-picker', { show: true, product: tea })
    comp.querySelectorAll('.spec__value')[0].dispatchEvent('tap') // 100g
    await simulate.sleep(0)
    await simulate.sleep(0)
    expect(values(comp)).toEqual([
      { value: '100g', on: true, off: false },
      { value: '250g', on: false, off: false },
      { value: '罐装', on: false, off: false },
      { value: '袋装', on: false, off: true }, // 100g 袋装 is sold out
    ])
    comp.querySelectorAll('.spec__value')[3].dispatchEvent('tap') // disabled: ignored
    await simulate.sleep(0)
    comp.querySelectorAll('.spec__value')[2].dispatchEvent('tap') // 罐装
    await simulate.sleep(0)
    await simulate.sleep(0)
    expect(text(comp, '.sheet__tip')).toBe('已选100g/罐装')
    expect(text(comp, '.sheet__stock')).toBe('库存5')
    expect(text(comp, '.sheet__info >>> .price')).toBe('¥50.00')
  })

  test('the quantity stays within stock and confirm carries SKU, quantity and action', async () => {
    const comp = mount('sku-picker', { show: true, product: tea })
    comp.querySelectorAll('.spec__value')[1].dispatchEvent('tap') // 250g
    await simulate.sleep(0)
    comp.querySelectorAll('.spec__value')[2].dispatchEvent('tap') // 罐装 (stock 2)
    await simulate.sleep(0)
    await simulate.sleep(0)
    const plus = comp.querySelectorAll('.qty__btn')[1]
    plus.dispatchEvent('tap')
    await simulate.sleep(0)
    plus.dispatchEvent('tap')
    await simulate.sleep(0)
    await simulate.sleep(0)
    expect(text(comp, '.qty__value')).toBe('2')
    expect(wx.toasts.map((t) => t.title)).toContain('库存不足')
    const confirm = jest.fn()
    comp.addEventListener('confirm', confirm)
    comp.querySelector('.sheet__btn--buy').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(confirm.mock.calls[0][0].detail).toEqual({ sku: tea.skus[2], quantity: 2, action: 'buy' })
  })

  test('a product without specs is chosen already', async () => {
    const single = { ...tea, spec_matrix: [], skus: [{ id: 9, specs: {}, price_fen: 1990, stock: 3, image_url: '' }] }
    const comp = mount('sku-picker', { show: true, product: single })
    const confirm = jest.fn()
    comp.addEventListener('confirm', confirm)
    comp.querySelector('.sheet__btn--cart').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(confirm.mock.calls[0][0].detail).toMatchObject({ quantity: 1, action: 'cart', sku: { id: 9 } })
  })

  test('hidden when not shown', async () => {
    expect(mount('sku-picker', { show: false, product: tea }).querySelector('.sheet')).toBeFalsy()
  })
})
