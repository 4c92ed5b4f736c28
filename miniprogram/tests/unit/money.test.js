const fs = require('fs')
const path = require('path')
const { yuan, fenFromYuan } = require('../../utils/money')

function loadWxs(file) {
  // WXS is an ES5 subset with getRegExp(); run it as CommonJS with that one helper.
  const source = fs.readFileSync(path.join(__dirname, '../..', file), 'utf8')
  const module = { exports: {} }
  new Function('module', 'getRegExp', source)(module, (pattern, flags) => new RegExp(pattern, flags))
  return module.exports
}

const cases = [
  [0, '0.00'],
  [1, '0.01'],
  [5, '0.05'],
  [99, '0.99'],
  [100, '1.00'],
  [1234, '12.34'],
  [-5, '-0.05'],
  [-1234, '-12.34'],
  [-100, '-1.00'],
  [123456789, '1234567.89'],
  [9007199254740991, '90071992547409.91'],
  ['1999', '19.99'],
  ['-0', '0.00'],
  ['123456789012345678901', '1234567890123456789.01'],
  [null, '0.00'],
  [undefined, '0.00'],
  ['abc', '0.00'],
]

describe.each([
  ['utils/money.js', yuan],
  ['utils/money.wxs', loadWxs('utils/money.wxs').yuan],
])('%s yuan(fen)', (_name, format) => {
  test.each(cases)('yuan(%p) is %p', (fen, expected) => {
    expect(format(fen)).toBe(expected)
  })
})

test('fenFromYuan reads what a shopper types', () => {
  expect(fenFromYuan('12.34')).toBe(1234)
  expect(fenFromYuan('12.3')).toBe(1230)
  expect(fenFromYuan('12')).toBe(1200)
  expect(fenFromYuan('0.01')).toBe(1)
  expect(fenFromYuan('1.234')).toBeNull()
  expect(fenFromYuan('-1')).toBeNull()
  expect(fenFromYuan('')).toBeNull()
})
