// My member level: the progress to the next level, the level page with its benefits and the
// ladder, the growth detail in pages, and the way in from the me page.
const { progress, levelView, growthRow } = require('../../packages/member/utils/level')
const { mountPage, wxWithRoutes, settle, textOf, allText } = require('../helpers/page-render')

afterEach(() => {
  delete global.wx
})

const benefits = (words, extra) => Object.assign({ discount_bp: 10000, points_multiplier_bp: 10000,
  free_shipping: false, monthly_coupon: false, words, text: '' }, extra)
const silver = { id: 1, name: '银卡', growth_threshold: 100, benefits: benefits(['9.8 折']) }
const gold = { id: 2, name: '金卡', growth_threshold: 1000, badge_url: '/media/library/gold.png',
  benefits: benefits(['9.5 折', '1.5 倍积分', '包邮']) }

describe('progress to the next level', () => {
  test.each([
    [0, null, silver, 0],
    [50, null, silver, 50],
    [300, silver, gold, 22],
    [1000, silver, gold, 100],
    [1200, gold, null, 100],
  ])('growth %s on %o towards %o is %s%%', (growth, level, next, percent) => {
    expect(progress(growth, level, next)).toBe(percent)
  })

  test('a regular member, and one at the top', () => {
    expect(levelView({ growth: 30, level: null, next_level: silver, growth_to_next: 70 }))
      .toMatchObject({ levelName: '普通会员', badgeUrl: '', hint: '再获得 70 成长值升级为银卡', percent: 30, benefits: [] })
    expect(levelView({ growth: 5000, level: gold, next_level: null, growth_to_next: null }))
      .toMatchObject({ levelName: '金卡', badgeUrl: '/media/library/gold.png', hint: '已是最高等级', percent: 100,
        next: null })
  })

  test('a growth change reads as a signed number in Beijing time', () => {
    expect(growthRow({ id: 1, delta: -34, created_at: '2026-11-27T16:30:00' }))
      .toMatchObject({ deltaText: '-34', gain: false, timeText: '2026-11-28 00:30' })
    expect(growthRow({ id: 2, delta: 5, created_at: null })).toMatchObject({ deltaText: '+5', gain: true })
  })
})

describe('pages', () => {
  test('the level page shows my level, the way to the next and every level\'s benefits', async () => {
    global.wx = wxWithRoutes({
      'GET /api/v1/members/level': { growth: 300, level: silver, next_level: gold, growth_to_next: 700 },
      'GET /api/v1/members/levels': { items: [silver, gold] },
    })
    const page = mountPage('packages/member/level')
    page.instance.onShow()
    await settle()
    expect(textOf(page, '.mine__level')).toBe('银卡')
    expect(textOf(page, '.mine__growth')).toBe('成长值 300')
    expect(textOf(page, '.mine__hint')).toBe('再获得 700 成长值升级为金卡')
    expect(textOf(page, '.next__title')).toBe('升级到金卡可享')
    expect(allText(page, '.ladder__words')).toEqual(['9.8 折', '9.5 折、1.5 倍积分、包邮'])
  })

  test('the growth detail loads page after page by cursor', async () => {
    const asked = []
    global.wx = wxWithRoutes({ 'GET /api/v1/members/growth': ({ query }) => {
      asked.push(query.cursor || null)
      return query.cursor
        ? [200, { items: [{ id: 1, kind: 'order', kind_label: '订单完成', delta: 150, growth_after: 150,
          created_at: '2026-11-27T16:30:00' }], total: 2, next_cursor: null }]
        : [200, { items: [{ id: 2, kind: 'refund', kind_label: '订单退款', delta: -50, growth_after: 100,
          created_at: '2026-11-28T16:30:00' }], total: 2, next_cursor: 'c2' }]
    } })
    const page = mountPage('packages/member/growth')
    page.instance.onLoad()
    await settle()
    page.instance.onReachBottom()
    await settle()
    expect(asked).toEqual([null, 'c2'])
    expect(allText(page, '.entry__kind')).toEqual(['订单退款', '订单完成'])
    expect(allText(page, '.entry__delta')).toEqual(['-50', '+150'])
  })

  test('the me page leads to the level page', () => {
    const opened = []
    global.wx = wxWithRoutes({}, { navigateTo: ({ url }) => opened.push(url) })
    const page = mountPage('pages/me/index')
    page.instance.onMemberLevel()
    expect(opened).toEqual(['/packages/member/level'])
  })
})
