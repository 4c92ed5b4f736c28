// Daily sign-in: today's button, the streak, today's and tomorrow's reward, and the month's
// calendar of signed days (browsable month by month).
const api = require('../../utils/api')
const { WEEKDAYS, calendar, shiftMonth, beijingToday } = require('./utils/points')

Page({
  data: { status: 'loading', sign: null, weeks: [], weekdays: WEEKDAYS, month: '', signing: false, rewards: [] },

  onLoad() {
    this.load(beijingToday().slice(0, 7))
  },

  load(month) {
    return api.get('/api/v1/sign-in', { month }, { silent: true })
      .then((sign) => this.setData({
        status: '', sign, month: sign.month, weeks: calendar(sign.month, sign.signed_days, beijingToday()),
        rewards: (sign.rewards || []).map((reward) => `连续 ${reward.day} 天 +${reward.points}`),
      }))
      .catch((err) => this.setData({ status: 'error', errorMessage: err.message }))
  },

  onRetry() {
    this.load(this.data.month || beijingToday().slice(0, 7))
  },

  onPrevMonth() {
    this.load(shiftMonth(this.data.month, -1))
  },

  onNextMonth() {
    this.load(shiftMonth(this.data.month, 1))
  },

  onSignIn() {
    if (this.data.signing || (this.data.sign && this.data.sign.signed_today)) return
    this.setData({ signing: true })
    api.post('/api/v1/sign-in', {})
      .then((answer) => {
        wx.showToast({ title: answer.signed_in ? `签到成功 +${answer.points}` : '今天已签到', icon: 'none' })
        return this.load(beijingToday().slice(0, 7))
      })
      .catch(() => {})
      .then(() => this.setData({ signing: false }))
  },

  onDetail() {
    wx.navigateTo({ url: '/packages/points/detail' })
  },
})
