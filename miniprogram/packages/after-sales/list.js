// Placeholder: mpcentre owns packages/
Page({})
