// Add or change an address. The region comes from WeChat's region picker, whose third code is
// the county-level code the API checks against the shipping regions; the API derives the text.
const api = require('../../utils/api')

const TAGS = ['家', '公司', '学校']

Page({
  data: {
    id: 0, form: { receiver_name: '', receiver_phone: '', region_code: '', detail: '', tag: '', is_default: false },
    region: [], regionText: '', errors: {}, saving: false, tags: TAGS,
  },

  onLoad(options) {
    if (options.import === '1') {
      const imported = wx.getStorageSync('address_import') || {}
      wx.removeStorageSync('address_import')
      this.setData({
        form: Object.assign({}, this.data.form, {
          receiver_name: imported.receiver_name || '', receiver_phone: imported.receiver_phone || '',
          region_code: imported.region_code || '', detail: imported.detail || '',
        }),
        regionText: imported.region_text || '',
      })
    }
    if (options.id) {
      this.setData({ id: Number(options.id) })
      wx.setNavigationBarTitle({ title: '编辑地址' })
      api.get('/api/v1/addresses/' + options.id).then((address) => this.setData({
        form: {
          receiver_name: address.receiver_name, receiver_phone: address.receiver_phone, region_code: address.region_code,
          detail: address.detail, tag: address.tag, is_default: address.is_default,
        },
        regionText: address.region_text,
      })).catch(() => {})
    } else {
      wx.setNavigationBarTitle({ title: '新增地址' })
    }
  },

  onField(event) {
    const name = event.currentTarget.dataset.name
    this.setData({ ['form.' + name]: event.detail, ['errors.' + name]: '' })
  },

  onRegion(event) {
    const codes = event.detail.code || []
    this.setData({
      region: event.detail.value,
      regionText: (event.detail.value || []).join(' '),
      'form.region_code': codes[2] || '',
      'errors.region_code': '',
    })
  },

  onTag(event) {
    const tag = event.currentTarget.dataset.tag
    this.setData({ 'form.tag': this.data.form.tag === tag ? '' : tag })
  },

  onDefault(event) {
    this.setData({ 'form.is_default': event.detail })
  },

  check() {
    const form = this.data.form
    const errors = {}
    if (!form.receiver_name.trim()) errors.receiver_name = '请填写收货人'
    if (!/^1\d{10}$/.test(form.receiver_phone.trim())) errors.receiver_phone = '请填写 11 位手机号'
    if (!form.region_code) errors.region_code = '请选择所在地区'
    if (!form.detail.trim()) errors.detail = '请填写详细地址'
    this.setData({ errors })
    return Object.keys(errors).length === 0
  },

  onSave() {
    if (this.data.saving || !this.check()) return
    const form = this.data.form
    const body = {
      receiver_name: form.receiver_name.trim(), receiver_phone: form.receiver_phone.trim(),
      region_code: form.region_code, detail: form.detail.trim(), tag: form.tag, is_default: form.is_default,
    }
    this.setData({ saving: true })
    const request = this.data.id ? api.put('/api/v1/addresses/' + this.data.id, body) : api.post('/api/v1/addresses', body)
    request
      .then(() => {
        wx.showToast({ title: '已保存', icon: 'success' })
        setTimeout(() => wx.navigateBack(), 600)
      })
      .catch((err) => this.setData({ errors: err.fields || {} }))
      .then(() => this.setData({ saving: false }))
  },
})
