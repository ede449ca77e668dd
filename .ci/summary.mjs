// Prints one closing line, `N passed, N failed, N skipped`, from the JSON reports the test
// runners wrote under test-results/ (Vitest per package, Playwright once).
import { existsSync, readdirSync, readFileSync } from 'node:fs'

const dir = 'test-results'
let passed = 0
let failed = 0
let skipped = 0
const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : []

for (const name of files) {
  const report = JSON.parse(readFileSync(`${dir}/${name}`, 'utf8'))
  if (name.startsWith('vitest')) {
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  } else if (report.stats) {
    passed += (report.stats.expected ?? 0) + (report.stats.flaky ?? 0)
    failed += report.stats.unexpected ?? 0
    skipped += report.stats.skipped ?? 0
  }
}

if (files.length === 0) console.log('no test report found: no test ran')
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
