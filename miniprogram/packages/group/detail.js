// A group (拼团): its members and empty seats, 还差 N 人 and the countdown (from the server's
// clock), invite friends, join through the normal checkout; and its activity: the other groups
// forming to join, or start one. Opened with ?id=<group> (a share card) or ?activity_id=<activity>.
const api = require('../../utils/api')
const logic = require('./logic')

const ENDED = { action: '', text: '活动已结束', disabled: true }

Page({
  data: { group: null, activity: null, status: 'loading', message: '' },

  onLoad(options) {
    this.groupId = Number(options.id || 0)
    this.activityId = Number(options.activity_id || 0)
  },

  onShow() {
    return this.load()
  },

  onUnload() {
    clearInterval(this.ticker)
  },

  onPullDownRefresh() {
    this.load().then(() => wx.stopPullDownRefresh())
  },

  load() {
    const group = this.groupId ? api.get(`/groups/${this.groupId}`, {}, { silent: true }) : Promise.resolve(null)
    return group
      .then((answer) => {
        if (answer) this.activityId = answer.activity_id
        return api.get('/group-activities', {}, { silent: true })
          .then((activities) => activities.items.find((item) => item.id === this.activityId) || null)
          .catch(() => null)
          .then((activity) => this.show(answer, activity))
      })
      .catch((err) => this.setData({ status: 'error', message: err.message }))
  },

  show(group, activity) {
    const card = activity ? logic.activityCard(activity) : null
    if (card && group) card.forming = card.forming.filter((row) => row.id !== group.id)
    const shown = group ? logic.groupCard(group) : null
    if (shown && !card && shown.button.action) shown.button = ENDED
    this.setData({ group: shown, activity: card, status: shown || card ? '' : 'error',
      message: shown || card ? '' : '拼团活动已结束' })
    clearInterval(this.ticker)
    if (shown && shown.secondsLeft > 0) {
      this.secondsLeft = shown.secondsLeft
      this.ticker = setInterval(() => {
        this.secondsLeft -= 1
        if (this.secondsLeft <= 0) {
          clearInterval(this.ticker)
          this.load()
          return
        }
        this.setData({ 'group.countdownText': logic.countdown(this.secondsLeft) })
      }, 1000)
    }
  },

  onMain() {
    const { group, activity } = this.data
    const action = group && group.button.action
    if (!activity) return
    if (action === 'join') wx.navigateTo({ url: logic.checkoutUrl(activity.sku_id, group.ref) })
    else if (action === 'start') this.startGroup()
  },

  // 去参团 on a forming group of the activity
  joinGroup(event) {
    const activity = this.data.activity
    if (activity) wx.navigateTo({ url: logic.checkoutUrl(activity.sku_id, event.currentTarget.dataset.ref) })
  },

  // 我来开团
  startGroup() {
    const activity = this.data.activity
    if (activity) wx.navigateTo({ url: logic.checkoutUrl(activity.sku_id, activity.start_ref) })
  },

  onShareAppMessage() {
    const { group, activity } = this.data
    if (group) return logic.shareMessage(group, activity)
    return { title: activity ? `${activity.sizeText} ¥${activity.groupText} ${activity.title}` : '一起拼团',
      path: `/packages/group/detail?activity_id=${this.activityId}`, imageUrl: (activity && activity.image_url) || '' }
  },

  onRetry() {
    return this.load()
  },
})
