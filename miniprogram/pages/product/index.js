// Product detail: images, price, SKU choice, add to cart / buy now, and sharing — to a friend
// or Moments with the agent's invite code, or as a poster saved to the album; a 拼团 entry when the
// product has a group buy running.
const api = require('../../utils/api')
const agent = require('../../utils/agent')
const scene = require('../../utils/scene')
const sku = require('../../utils/sku')
const poster = require('../../utils/poster')
const { yuan } = require('../../utils/money')

Page({
  data: {
    id: 0, status: 'loading', product: null, current: 0, isAgent: false, pickerShow: false, pickerAction: 'both',
    chosenText: '', chosen: null, quantity: 1, cartCount: 0, shareShow: false,
    shareActions: [{ name: '分享给好友', openType: 'share' }, { name: '生成分享海报', value: 'poster' }],
    posterUrl: '', posterShow: false, posterBusy: false, promotions: [], couponTags: [], groupBuy: null,
  },

  onLoad(options) {
    const referral = scene.remember(options) // a wxacode opens this page with scene=r=…&p=<id>
    const id = Number(options.id || (referral && referral.p) || 0)
    this.setData({ id })
    wx.showShareMenu({ withShareTicket: false, menus: ['shareAppMessage', 'shareTimeline'] })
    const app = getApp()
    if (referral && app && app.ready) app.ready.then(() => scene.bindPending())
    this.load()
  },

  onShow() {
    agent.profile().then((summary) => {
      this.setData({ isAgent: Boolean(summary.is_agent) })
      this.addCommission()
    })
    this.refreshCartCount()
  },

  /** An agent sees what they earn on one unit. */
  addCommission() {
    const product = this.data.product
    if (!this.data.isAgent || !product || product.commission_fen !== undefined) return
    agent.withCommission([product]).then(([priced]) => {
      if (priced.commission_fen !== undefined) this.setData({ 'product.commission_fen': priced.commission_fen })
    })
  },

  load() {
    if (!this.data.id) {
      this.setData({ status: 'missing' })
      return Promise.resolve()
    }
    this.setData({ status: 'loading' })
    return api.get('/api/v1/products/' + this.data.id, {}, { silent: true })
      .then((product) => {
        const selected = sku.initialSelection(product.spec_matrix)
        this.setData({ product, status: '', chosenText: sku.selectionText(product.spec_matrix, selected) })
        wx.setNavigationBarTitle({ title: product.title })
        this.addCommission()
        this.loadPromotions()
        this.loadCoupons()
        this.loadGroupBuys()
      })
      .catch((err) => this.setData({ status: err.status === 404 ? 'missing' : 'error' }))
  },

  /** The full-reduction activities covering this product, as tags (满99减10，满199减30). */
  loadPromotions() {
    return api.get('/api/v1/products/' + this.data.id + '/promotions', {}, { silent: true })
      .then((answer) => this.setData({
        promotions: (answer.activities || []).map((activity) => ({ id: activity.id, text: activity.tiers.join('，') })),
      }))
      .catch(() => {})
  },

  onRetry() {
    this.load()
  },

  // The coupon centre's coupons this product can use, as 满199减20 tags (a logged-out or failed
  // answer just shows none).
  loadCoupons() {
    return api.get(`/api/v1/products/${this.data.id}/coupons`, {}, { silent: true })
      .then((answer) => this.setData({ couponTags: answer.items.slice(0, 3).map((c) => c.description) }))
      .catch(() => {})
  },

  // The group buys (拼团) of this product running now: a 拼团 entry with the lowest group price,
  // to the activity (its forming groups, or start one), or to the group buy list when several run.
  loadGroupBuys() {
    return api.get(`/api/v1/products/${this.data.id}/group-activities`, {}, { silent: true })
      .then((answer) => {
        const items = answer.items || []
        if (!items.length) return this.setData({ groupBuy: null })
        const cheapest = items.reduce((best, item) => (item.group_price_fen < best.group_price_fen ? item : best))
        const forming = items.reduce((count, item) => count + (item.forming || []).length, 0)
        return this.setData({ groupBuy: {
          url: items.length === 1 ? `/packages/group/detail?activity_id=${cheapest.id}` : '/packages/group/index',
          text: `${cheapest.group_size}人团 ¥${yuan(cheapest.group_price_fen)}${items.length > 1 ? ' 起' : ''}`,
          formingText: forming ? `${forming}个团正在拼` : '去开团',
        } })
      })
      .catch(() => {})
  },

  openGroupBuy() {
    if (this.data.groupBuy) wx.navigateTo({ url: this.data.groupBuy.url })
  },

  openCoupons() {
    wx.navigateTo({ url: '/packages/coupons/centre' })
  },

  refreshCartCount() {
    api.get('/api/v1/cart', {}, { silent: true })
      .then((cart) => this.setData({ cartCount: cart.totals.quantity }))
      .catch(() => {})
  },

  onSwiper(event) {
    this.setData({ current: event.detail.current })
  },

  onPreview(event) {
    wx.previewImage({ current: event.currentTarget.dataset.url, urls: this.data.product.image_urls })
  },

  openPicker(event) {
    const action = (event && event.currentTarget.dataset.action) || 'both'
    if (this.data.product.sold_out) {
      wx.showToast({ title: '商品已售罄', icon: 'none' })
      return
    }
    this.setData({ pickerShow: true, pickerAction: action })
  },

  onPickerClose() {
    this.setData({ pickerShow: false })
  },

  onPickerConfirm(event) {
    const { sku: chosen, quantity, action } = event.detail
    this.setData({ pickerShow: false, chosen, quantity, chosenText: '已选 ' + (Object.values(chosen.specs).join(' / ') || '默认') + ' ×' + quantity })
    if (action === 'buy') {
      wx.navigateTo({ url: '/pages/checkout/index?sku_id=' + chosen.id + '&quantity=' + quantity })
      return
    }
    api.post('/api/v1/cart', { sku_id: chosen.id, quantity })
      .then((cart) => {
        this.setData({ cartCount: cart.totals.quantity })
        wx.showToast({ title: '已加入购物车', icon: 'success' })
      })
      .catch(() => {})
  },

  goHome() {
    wx.switchTab({ url: '/pages/home/index' })
  },

  goCart() {
    wx.switchTab({ url: '/pages/cart/index' })
  },

  onShareTap() {
    this.setData({ shareShow: true })
  },

  onShareClose() {
    this.setData({ shareShow: false })
  },

  onShareSelect(event) {
    this.setData({ shareShow: false })
    if (event.detail.value === 'poster') this.makePoster()
  },

  makePoster() {
    if (this.data.posterBusy) return
    this.setData({ posterBusy: true })
    wx.showLoading({ title: '海报生成中', mask: true })
    poster.fetchPoster('/api/v1/posters/products/' + this.data.id)
      .then((answer) => this.setData({ posterUrl: answer.url, posterShow: true }))
      .catch(() => {})
      .then(() => {
        wx.hideLoading()
        this.setData({ posterBusy: false })
      })
  },

  onPosterClose() {
    this.setData({ posterShow: false })
  },

  onPosterSave() {
    poster.saveToAlbum(this.data.posterUrl).then((saved) => { if (saved) this.setData({ posterShow: false }) })
  },

  onShareAppMessage() {
    const product = this.data.product || {}
    const share = product.share || {}
    return {
      title: share.title || product.title || '好物推荐',
      path: agent.sharePath('/pages/product/index', { id: this.data.id }),
      imageUrl: share.image_url || product.cover_url || '',
    }
  },

  onShareTimeline() {
    const product = this.data.product || {}
    const share = product.share || {}
    const code = agent.inviteCode()
    return {
      title: share.title || product.title || '好物推荐',
      query: 'id=' + this.data.id + (code ? '&r=' + code : ''),
      imageUrl: share.image_url || product.cover_url || '',
    }
  },

  noop() {},
})
