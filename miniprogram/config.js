// The one place that says where our API lives. Point apiBase at your server before uploading
// (its https domain must be listed under request 合法域名 in the mini-program's settings).
//
// sandboxUser: against a server in WeChat sandbox mode, DevTools' real wx.login codes mean
// nothing to the sandbox, so the app logs in as this sandbox dev user instead ("dev:<name>:…"
// codes, see the README). Set it to '' for a server with real mini-program credentials.
module.exports = {
  apiBase: 'http://127.0.0.1:5000',
  sandboxUser: 'xiaohua',
}
