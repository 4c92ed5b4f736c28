// Placeholder: mpcentre overwrites this page
Page({})
