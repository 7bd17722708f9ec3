import { describe, expect, test } from '@jest/globals'
import { parseInputs } from '../../src/workato/inputs.js'
import { runBudgetMs } from '../../src/workato/run-context.js'

const env = { RUNNER_TEMP: '/runner/temp', GITHUB_WORKSPACE: '/work/repo' }
const promote = {
  'source-token': 'src',
  'target-token': 'tgt',
  'manifest-id': '12',
  'folder-id': '34',
  'wait-timeout': '60'
}
const budget = (inputs: Record<string, string>) =>
  runBudgetMs(parseInputs(name => inputs[name] ?? '', env)) / 60_000

describe('runBudgetMs: one wait-timeout per wait a mode may need, and one more', () => {
  test('export waits on one job, promote on two', () => {
    expect(budget({ ...promote, mode: 'export' })).toBe(2)
    expect(budget(promote)).toBe(3)
  })

  test('a snapshot is one more job; its rollback two more (the wait for Workato to take it, then the import)', () => {
    const snapshot = { ...promote, 'snapshot-manifest-id': '56' }
    expect(budget({ ...snapshot, 'rollback-on-failure': 'false' })).toBe(4)
    expect(budget({ ...snapshot, 'rollback-on-failure': 'true' })).toBe(6)
  })

  test("the README's numbers: 90 minutes for a default promote, 180 with a snapshot and rollback", () => {
    const defaults = { ...promote, 'wait-timeout': '' }
    expect(budget(defaults)).toBe(90)
    expect(budget({ ...defaults, 'snapshot-manifest-id': '56' })).toBe(180)
  })
})
