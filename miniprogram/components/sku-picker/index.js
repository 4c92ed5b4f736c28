// Choose a SKU and a quantity in a bottom sheet. Values that cannot lead to a SKU in stock are
// disabled. Fires `confirm` {sku, quantity, action} (action: cart | buy) and `close`.
const sku = require('../../utils/sku')

Component({
  properties: {
    show: { type: Boolean, value: false },
    product: { type: Object, value: null },
    action: { type: String, value: 'both' }, // cart | buy | both
  },
  data: { selected: {}, specs: [], current: null, quantity: 1, priceFen: 0, stock: 0, image: '', tip: '' },
  observers: {
    product(product) {
      if (!product) return
      this.choose(sku.initialSelection(product.spec_matrix), 1)
    },
  },
  methods: {
    choose(selected, quantity) {
      const product = this.data.product || {}
      const current = sku.matchSku(product.spec_matrix, product.skus, selected)
      const stock = current ? current.stock : product.stock || 0
      this.setData({
        selected,
        specs: sku.specStates(product.spec_matrix, product.skus, selected),
        current,
        quantity: Math.max(1, Math.min(quantity, Math.max(stock, 1))),
        priceFen: current ? current.price_fen : product.min_price_fen || 0,
        stock,
        image: (current && current.image_url) || product.cover_url || '',
        tip: sku.selectionText(product.spec_matrix, selected),
      })
    },
    onValue(event) {
      const { name, value, disabled } = event.currentTarget.dataset
      if (disabled) return
      const selected = Object.assign({}, this.data.selected)
      selected[name] = selected[name] === value ? '' : value
      this.choose(selected, this.data.quantity)
    },
    onMinus() {
      if (this.data.quantity > 1) this.setData({ quantity: this.data.quantity - 1 })
    },
    onPlus() {
      if (this.data.quantity < this.data.stock) this.setData({ quantity: this.data.quantity + 1 })
      else wx.showToast({ title: '库存不足', icon: 'none' })
    },
    onConfirm(event) {
      const action = event.currentTarget.dataset.action
      const current = this.data.current
      if (!current) {
        wx.showToast({ title: this.data.tip, icon: 'none' })
        return
      }
      if (current.stock <= 0) {
        wx.showToast({ title: '该规格已售罄', icon: 'none' })
        return
      }
      this.triggerEvent('confirm', { sku: current, quantity: this.data.quantity, action })
    },
    onClose() {
      this.triggerEvent('close')
    },
    noop() {},
  },
})
