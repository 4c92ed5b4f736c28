// Loading / error-with-retry / no-more footer for pages and lists. status: loading | error | nomore | ''.
Component({
  properties: {
    status: { type: String, value: '' },
    message: { type: String, value: '' },
    full: { type: Boolean, value: false }, // a whole-page state rather than a list footer
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry')
    },
  },
})
