// App entry: remember a referral from the entry (wxacode scene or share query), log in, bind it.
const auth = require('./utils/auth')
const scene = require('./utils/scene')

App({
  globalData: { user: null },

  onLaunch(options) {
    auth.onLogin((user) => {
      this.globalData.user = user
      scene.bindPending()
    })
    this.enter(options)
  },

  onShow(options) {
    this.enter(options)
  },

  enter(options) {
    scene.remember(options)
    auth.ensureLogin()
      .then((user) => {
        if (user) this.globalData.user = user
        return scene.bindPending()
      })
      .catch(() => { /* pages retry login on their own 401 */ })
  },
})
