// miniprogram_npm/ follows the pages' usingComponents: rebuild it so the checks see the current one.
const { build } = require('../../scripts/build-npm')

module.exports = async () => {
  build()
}
