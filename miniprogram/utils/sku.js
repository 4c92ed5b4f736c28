// SKU choice from a product's spec matrix: which SKU the chosen values name, and which values
// cannot lead to a SKU in stock (shown disabled).

function matches(sku, selected, skipName) {
  return Object.keys(selected).every((name) => name === skipName || !selected[name] || sku.specs[name] === selected[name])
}

/** The SKU every spec of which is chosen, or null. A product without specs has its one SKU. */
function matchSku(specMatrix, skus, selected) {
  const names = (specMatrix || []).map((spec) => spec.name)
  if (!names.length) return (skus || [])[0] || null
  if (names.some((name) => !selected[name])) return null
  return (skus || []).find((sku) => names.every((name) => sku.specs[name] === selected[name])) || null
}

/** [{name, values: [{value, selected, disabled}]}] for the picker. */
function specStates(specMatrix, skus, selected) {
  return (specMatrix || []).map((spec) => ({
    name: spec.name,
    values: spec.values.map((value) => {
      const trial = Object.assign({}, selected, { [spec.name]: value })
      const possible = (skus || []).some((sku) => sku.stock > 0 && sku.specs[spec.name] === value && matches(sku, trial, spec.name))
      return { value, selected: selected[spec.name] === value, disabled: !possible }
    }),
  }))
}

/** Preselect: a product without a choice to make (every spec has one value) is chosen already. */
function initialSelection(specMatrix) {
  const selected = {}
  ;(specMatrix || []).forEach((spec) => {
    if (spec.values.length === 1) selected[spec.name] = spec.values[0]
  })
  return selected
}

/** "颜色: 红 / 尺码: M" style label of what is missing or chosen. */
function selectionText(specMatrix, selected) {
  const missing = (specMatrix || []).filter((spec) => !selected[spec.name]).map((spec) => spec.name)
  if (missing.length) return '请选择 ' + missing.join(' ')
  return '已选 ' + (specMatrix || []).map((spec) => selected[spec.name]).join(' / ')
}

module.exports = { matchSku, specStates, initialSelection, selectionText }
