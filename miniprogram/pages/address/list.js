// My addresses. Opened with ?select=1 (from checkout) a tap picks one and goes back.
const api = require('../../utils/api')

Page({
  data: { status: 'loading', items: [], select: false },

  onLoad(options) {
    this.setData({ select: options.select === '1' })
    if (this.data.select) wx.setNavigationBarTitle({ title: '选择收货地址' })
  },

  onShow() {
    this.load(this.data.items.length > 0)
  },

  load(quiet) {
    if (!quiet) this.setData({ status: 'loading' })
    return api.get('/api/v1/addresses', {}, { silent: true })
      .then((answer) => this.setData({ items: answer.items || [], status: '' }))
      .catch(() => { if (!quiet) this.setData({ status: 'error' }) })
  },

  onRetry() {
    this.load()
  },

  onPick(event) {
    if (!this.data.select) return
    const address = this.data.items[event.currentTarget.dataset.index]
    const channel = this.getOpenerEventChannel && this.getOpenerEventChannel()
    if (channel && channel.emit) channel.emit('selected', address)
    wx.navigateBack()
  },

  onEdit(event) {
    wx.navigateTo({ url: '/pages/address/edit?id=' + event.currentTarget.dataset.id })
  },

  onAdd() {
    wx.navigateTo({ url: '/pages/address/edit' })
  },

  onDefault(event) {
    api.post('/api/v1/addresses/' + event.currentTarget.dataset.id + '/default', {})
      .then(() => this.load(true))
      .catch(() => {})
  },

  onDelete(event) {
    const id = event.currentTarget.dataset.id
    wx.showModal({
      title: '删除这个地址？',
      success: (res) => {
        if (!res.confirm) return
        api.del('/api/v1/addresses/' + id).then(() => this.load(true)).catch(() => {})
      },
    })
  },

  /** Import from WeChat's own address book; its nationalCode is the county code our API wants. */
  onImport() {
    wx.chooseAddress({
      success: (picked) => {
        wx.setStorageSync('address_import', {
          receiver_name: picked.userName,
          receiver_phone: picked.telNumber,
          region_code: picked.nationalCode,
          region_text: [picked.provinceName, picked.cityName, picked.countyName].join(' '),
          detail: picked.detailInfo,
        })
        wx.navigateTo({ url: '/pages/address/edit?import=1' })
      },
    })
  },
})
