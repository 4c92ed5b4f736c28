// ApiError: our JSON error shape {"error": {"code", "message", "fields"}} as a JS error.

const NETWORK_MESSAGE = '网络不给力，请稍后重试'
const SERVER_MESSAGE = '服务开小差了，请稍后重试'

class ApiError extends Error {
  constructor({ status, code, message, fields }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields || {}
  }
}

/** Build an ApiError from an HTTP answer that is not 2xx. */
function fromResponse(statusCode, data) {
  const error = data && typeof data === 'object' ? data.error : null
  if (error && typeof error === 'object') {
    const apiError = new ApiError({
      status: statusCode,
      code: error.code || 'error',
      message: error.message || SERVER_MESSAGE,
      fields: error.fields || {},
    })
    apiError.body = data // e.g. a 409 price_changed answer carries the fresh `preview`
    return apiError
  }
  return new ApiError({ status: statusCode, code: 'http_' + statusCode, message: SERVER_MESSAGE })
}

function networkError(err) {
  const e = new ApiError({ status: 0, code: 'network_error', message: NETWORK_MESSAGE })
  e.cause = err
  return e
}

/** The first field message of an error (for a form's inline hint), or ''. */
function firstFieldMessage(err) {
  const fields = (err && err.fields) || {}
  const key = Object.keys(fields)[0]
  return key ? String(fields[key]) : ''
}

module.exports = { firstFieldMessage, ApiError, fromResponse, networkError, NETWORK_MESSAGE, SERVER_MESSAGE }
