// My invite poster: pick a template, wait while it is drawn, save it to the album.
const api = require('../../utils/api')
const { fetchInvitePoster, absolute } = require('./utils/poster')
const { saveImageFromUrl } = require('./utils/album')

Page({
  data: {
    status: 'loading',
    message: '',
    code: '',
    templates: [],
    template: '',
    poster: null,
    saving: false,
  },

  onLoad() {
    api.get('/posters/templates', { kind: 'invite' }, { silent: true })
      .then((answer) => {
        const items = (answer.items || answer.templates || []).map((row) => Object.assign({}, row, {
          thumb: absolute(row.thumbnail_url || row.thumbnail || ''),
        }))
        this.setData({ templates: items })
      })
      .catch(() => this.setData({ templates: [] }))
    this.load()
  },

  load() {
    const ticket = (this.ticket || 0) + 1
    this.ticket = ticket
    this.setData({ status: 'loading', message: '海报生成中…', poster: null, code: '' })
    return fetchInvitePoster(this.data.template || undefined)
      .then((poster) => {
        if (this.ticket !== ticket) return
        this.setData({ poster, status: '', template: poster.template || this.data.template })
      })
      .catch((err) => {
        if (this.ticket !== ticket) return
        this.setData({ status: 'error', message: err.message, code: err.code || '' })
      })
  },

  chooseTemplate(event) {
    const key = event.currentTarget.dataset.key
    if (key === this.data.template && this.data.poster) return null
    this.setData({ template: key })
    return this.load()
  },

  preview() {
    wx.previewImage({ urls: [this.data.poster.url] })
  },

  save() {
    if (this.data.saving || !this.data.poster) return Promise.resolve()
    this.setData({ saving: true })
    return saveImageFromUrl(this.data.poster.url)
      .then((result) => {
        if (result === 'saved') wx.showToast({ title: '已保存到相册', icon: 'success' })
        else if (result === 'refused') wx.showToast({ title: '未获得相册权限，保存失败', icon: 'none' })
      })
      .catch((err) => wx.showToast({ title: err.message || '保存失败', icon: 'none' }))
      .then(() => this.setData({ saving: false }))
  },

  apply() {
    wx.redirectTo({ url: '/packages/distribution/apply' })
  },
})
