// Placeholder: written by mpcore
Page({})
