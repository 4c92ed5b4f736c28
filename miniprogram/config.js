// The one place that says where our API lives. Point it at your server before uploading
// (the domain must also be listed under request 合法域名 in the mini-program's settings).
module.exports = { apiBase: 'http://127.0.0.1:5000' }
