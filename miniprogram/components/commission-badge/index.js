// "赚 ¥x.xx": what an agent earns on a sale, shown to agents only and only when above zero.
const { yuan } = require('../../utils/money')

Component({
  properties: {
    fen: { type: null, value: 0 },
    agent: { type: Boolean, value: false },
  },
  data: { visible: false, text: '' },
  observers: {
    'fen, agent': function (fen, agent) {
      const amount = Number(fen)
      this.setData({ visible: Boolean(agent) && amount > 0, text: '赚 ¥' + yuan(fen) })
    },
  },
})
