// Apply to become an agent, and see how the application stands.
const api = require('../../utils/api')
const { applicationView } = require('./utils/labels')

const PHONE = /^1\d{10}$/

Page({
  data: {
    status: 'loading',
    message: '',
    application: null,
    form: { real_name: '', phone: '' },
    fields: {},
    submitting: false,
  },

  onLoad() {
    this.load()
  },

  load() {
    this.setData({ status: 'loading' })
    return api.get('/distribution/application', {}, { silent: true })
      .then((answer) => this.show(answer))
      .catch((err) => {
        // Nothing filed yet (404): the form is what the shopper needs.
        if (err && err.status === 404) return this.show({ status: 'none' })
        return this.setData({ status: 'error', message: err.message })
      })
  },

  show(answer) {
    const view = applicationView(answer)
    const status = view.status
    this.setData({
      status: '',
      application: view,
      'form.real_name': (answer && answer.real_name) || this.data.form.real_name,
      'form.phone': (answer && answer.phone) || this.data.form.phone,
    })
    if (status === 'agent') wx.redirectTo({ url: '/packages/distribution/index' })
  },

  onName(event) {
    this.setData({ 'form.real_name': event.detail.value, 'fields.real_name': '' })
  },

  onPhone(event) {
    this.setData({ 'form.phone': event.detail.value, 'fields.phone': '' })
  },

  validate() {
    const fields = {}
    const name = this.data.form.real_name.trim()
    const phone = this.data.form.phone.trim()
    if (!name) fields.real_name = '请填写真实姓名'
    else if (name.length > 32) fields.real_name = '姓名最多 32 个字'
    if (!PHONE.test(phone)) fields.phone = '请填写 11 位手机号'
    return fields
  },

  submit() {
    if (this.data.submitting) return Promise.resolve()
    const fields = this.validate()
    if (Object.keys(fields).length) {
      this.setData({ fields })
      return Promise.resolve()
    }
    this.setData({ submitting: true, fields: {} })
    const body = { real_name: this.data.form.real_name.trim(), phone: this.data.form.phone.trim() }
    return api.post('/distribution/apply', body)
      .then((answer) => {
        if (answer.status === 'agent') {
          wx.showToast({ title: '你已成为推广员', icon: 'success' })
          wx.redirectTo({ url: '/packages/distribution/index' })
          return
        }
        wx.showToast({ title: '申请已提交', icon: 'success' })
        this.show({ status: answer.status || 'pending', can_apply: false, real_name: body.real_name, phone: body.phone })
      })
      .catch((err) => this.setData({ fields: err.fields || {} }))
      .then(() => this.setData({ submitting: false }))
  },
})
