// "Nothing here" with an optional action button (slot).
Component({
  options: { multipleSlots: true },
  properties: {
    text: { type: String, value: '暂无数据' },
    hint: { type: String, value: '' },
    actionText: { type: String, value: '' },
  },
  methods: {
    onAction() {
      this.triggerEvent('action')
    },
  },
})
