// Products by category or keyword, sorted, page by page as the shopper scrolls.
const api = require('../../utils/api')
const agent = require('../../utils/agent')
const { pager } = require('../../utils/pager')

const SORTS = [
  { key: 'default', text: '综合' },
  { key: 'sales', text: '销量' },
  { key: 'newest', text: '新品' },
  { key: 'price', text: '价格' },
]

Page({
  data: { categoryId: '', keyword: '', sort: 'default', priceAsc: true, sorts: SORTS, isAgent: false, layout: 'grid' },

  onLoad(options) {
    const keyword = options.keyword ? decodeURIComponent(options.keyword) : ''
    const title = options.title ? decodeURIComponent(options.title) : ''
    this.setData({ categoryId: options.category_id || '', keyword })
    wx.setNavigationBarTitle({ title: keyword ? '搜索：' + keyword : title || '全部商品' })
    this.list = pager(this, (page, size) => api.get('/api/v1/products', {
      category_id: this.data.categoryId, keyword: this.data.keyword, sort: this.apiSort(), page, size,
    }, { silent: true }).then((answer) => agent.withCommission(answer.items)
      .then((items) => Object.assign({}, answer, { items }))), { key: 'products', size: 20 })
    agent.profile().then((summary) => {
      this.setData({ isAgent: Boolean(summary.is_agent) })
      this.list.reload()
    })
  },

  apiSort() {
    if (this.data.sort !== 'price') return this.data.sort
    return this.data.priceAsc ? 'price_asc' : 'price_desc'
  },

  onSort(event) {
    const key = event.currentTarget.dataset.key
    if (key === 'price' && this.data.sort === 'price') this.setData({ priceAsc: !this.data.priceAsc })
    else this.setData({ sort: key, priceAsc: true })
    wx.pageScrollTo({ scrollTop: 0, duration: 0 })
    this.list.reload()
  },

  onLayout() {
    this.setData({ layout: this.data.layout === 'grid' ? 'row' : 'grid' })
  },

  onSearch() {
    wx.redirectTo({ url: '/pages/search/index?keyword=' + encodeURIComponent(this.data.keyword) })
  },

  onRetry() {
    if (this.data.products.items.length) this.list.more()
    else this.list.reload()
  },

  onPullDownRefresh() {
    this.list.refresh().then(() => wx.stopPullDownRefresh())
  },

  onReachBottom() {
    this.list.more()
  },

  onShareAppMessage() {
    const query = this.data.keyword ? { keyword: this.data.keyword } : { category_id: this.data.categoryId }
    return { title: this.data.keyword || '精选好物', path: agent.sharePath('/pages/list/index', query) }
  },
})
