// Beijing-time display of the distribution API's times: the shop's one parser (pages/orders/time).
module.exports = require('../../../pages/orders/time')
