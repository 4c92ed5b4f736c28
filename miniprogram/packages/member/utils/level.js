// My member level in words and numbers: how far along the way to the next level the growth
// is (a percentage for the progress bar), and a growth change as a row of the detail list.
const { beijingTime } = require('../../../pages/orders/time')

// progress(growth, level, next): 0-100 from the current level's threshold to the next one's
function progress(growth, level, next) {
  if (!next) return 100
  const from = (level && typeof level.growth_threshold === 'number') ? level.growth_threshold : 0
  const span = next.growth_threshold - from
  if (span <= 0) return 100
  return Math.max(0, Math.min(100, Math.floor(((growth - from) * 100) / span)))
}

function levelView(answer) {
  const level = answer.level
  const next = answer.next_level
  return {
    growth: answer.growth,
    levelName: level ? level.name : '普通会员',
    badgeUrl: (level && level.badge_url) || '',
    benefits: level ? level.benefits.words : [],
    benefitsText: level ? level.benefits.text : '',
    next,
    nextName: next ? next.name : '',
    nextBenefits: next ? next.benefits.words : [],
    hint: next ? `再获得 ${answer.growth_to_next} 成长值升级为${next.name}` : (level ? '已是最高等级' : ''),
    percent: progress(answer.growth, level, next),
  }
}

function ladderRow(level) {
  const words = level.benefits.words
  return Object.assign({}, level, { wordsText: words.length ? words.join('、') : '暂无专属权益' })
}

function growthRow(entry) {
  return Object.assign({}, entry, {
    deltaText: entry.delta > 0 ? `+${entry.delta}` : String(entry.delta),
    gain: entry.delta > 0,
    timeText: beijingTime(entry.created_at),
  })
}

module.exports = { progress, levelView, ladderRow, growthRow }
