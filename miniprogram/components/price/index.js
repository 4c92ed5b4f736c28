// ¥12.34 from integer fen. `original` draws a struck-through list price.
const { yuan } = require('../../utils/money')

Component({
  properties: {
    fen: { type: null, value: 0 },
    size: { type: String, value: 'md' }, // sm | md | lg
    original: { type: Boolean, value: false },
    color: { type: String, value: '' },
  },
  data: { whole: '0', cents: '00', negative: false },
  observers: {
    fen(value) {
      const text = yuan(value)
      const negative = text.charAt(0) === '-'
      const [whole, cents] = (negative ? text.slice(1) : text).split('.')
      this.setData({ whole, cents, negative })
    },
  },
  lifetimes: {
    attached() {
      const text = yuan(this.data.fen)
      const negative = text.charAt(0) === '-'
      const [whole, cents] = (negative ? text.slice(1) : text).split('.')
      this.setData({ whole, cents, negative })
    },
  },
})
