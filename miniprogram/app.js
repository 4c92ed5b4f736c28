// App entry: remember a referral from the entry (wxacode scene or share query), log in, bind it.
const auth = require('./utils/auth')
const scene = require('./utils/scene')

App({
  globalData: { user: null },
  ready: null, // a promise settled once launch's login (and binding) is done


  onLaunch(options) {
    auth.onLogin((user) => {
      this.globalData.user = user
      scene.bindPending()
    })
    this.ready = this.enter(options)
  },

  onShow(options) {
    this.enter(options)
  },

  /** Remember the entry's referrer, log in, bind; the promise is for tests (nothing waits on it). */
  enter(options) {
    scene.remember(options)
    return auth.ensureLogin()
      .then((user) => {
        if (user) this.globalData.user = user
        return scene.bindPending()
      })
      .catch(() => { /* pages retry login on their own 401 */ })
  },
})
