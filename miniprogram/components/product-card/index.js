// One product in a list: cover, title, price, an agent's commission, and why it cannot be
// bought (sold out / off shelf). Tapping opens the product unless it is off shelf.

function stateOf(product) {
  if (!product) return ''
  if (product.off_shelf || product.status === 'off_shelf' || product.on_shelf === false) return 'off_shelf'
  if (product.sold_out) return 'sold_out'
  return ''
}

const STATE_TEXT = { off_shelf: '已下架', sold_out: '已售罄' }

Component({
  properties: {
    product: { type: Object, value: null },
    layout: { type: String, value: 'grid' }, // grid | row
    agent: { type: Boolean, value: false },
    commissionFen: { type: null, value: 0 },
  },
  data: { state: '', stateText: '' },
  observers: {
    product(product) {
      const state = stateOf(product)
      this.setData({ state, stateText: STATE_TEXT[state] || '' })
    },
  },
  methods: {
    onTap() {
      const product = this.data.product
      if (!product) return
      this.triggerEvent('open', { id: product.id, state: this.data.state })
      if (this.data.state === 'off_shelf') {
        wx.showToast({ title: '该商品已下架', icon: 'none' })
        return
      }
      wx.navigateTo({ url: '/pages/product/index?id=' + product.id })
    },
  },
})
