import { describe, expect, test } from '@jest/globals'
import { parseInputs } from '../../src/workato/inputs.js'
import { cancelledDuring, failureText } from '../../src/workato/messages.js'
import { newRecord, outcomeOf, type RunRecord } from '../../src/workato/record.js'

const config = parseInputs(
  name =>
    ({
      'source-token': 's',
      'target-token': 't',
      'manifest-id': '12',
      'folder-id': '34',
      'snapshot-manifest-id': '90'
    })[name] ?? '',
  { RUNNER_TEMP: '/tmp/r' }
)
const record = (extra: Partial<RunRecord>): RunRecord => ({ ...newRecord(config), ...extra })

describe('the outcome, from the record alone', () => {
  test.each<[string, Partial<RunRecord>, string]>([
    ['nothing went wrong', {}, 'succeeded'],
    ['a failure', { failures: ['x'] }, 'failed'],
    ['nothing to import', { skippedUnchanged: true }, 'unchanged'],
    ['a timeout', { interrupted: { by: 'time limit' }, failures: ['x'] }, 'timed-out'],
    [
      'a cancel, even after failures',
      { interrupted: { by: 'cancel', signal: 'SIGINT' }, failures: ['x', 'y'] },
      'cancelled'
    ],
    ['a rollback that worked', { failures: ['x'], rollback: { recipes: [] } }, 'rolled-back'],
    [
      'a rollback that did not',
      { failures: ['x'], rollback: { recipes: [], problem: 'p' } },
      'rollback-failed'
    ]
  ])('%s', (_name, extra, outcome) => {
    expect(outcomeOf(record(extra))).toBe(outcome)
  })
})

describe('messages', () => {
  test('the error line: the failures, then how the rollback ended', () => {
    expect(failureText(record({ failures: ['A.', 'B.'] }))).toBe('A. B.')
    expect(
      failureText(record({ failures: ['A.'], rollback: { packageId: '9', recipes: [] } }))
    ).toBe('A. Rolled back: import package 9 restored the snapshot.')
    const failed = failureText(
      record({ failures: ['A.'], rollback: { recipes: [], problem: 'it broke' } })
    )
    expect(failed).toContain('A. ROLLBACK FAILED: it broke.')
    expect(failed).toContain('artifact workato-package-12-snapshot-34')
    // what to do, in under ~40 words
    expect(failed.replace('A. ', '').split(/\s+/).length).toBeLessThanOrEqual(40)
  })

  test.each<[RunRecord['stage'], string]>([
    ['wait for export', 'Export package 240 may still be running'],
    ['snapshot', 'snapshot export of manifest 90 may still be running'],
    ['wait for import', 'The import into folder 34 (package 241) may still be running'],
    ['rollback', 'The rollback import into folder 34 may still be running'],
    ['restart recipes', 'The import into folder 34 (package 241) had ended; recipes it stopped'],
    ['plan', 'Nothing was imported.']
  ])('a cancel during "%s" says what may still run', (stage, says) => {
    const text = cancelledDuring(
      record({ stage, export: { packageId: '240' }, import: { packageId: '241' } }),
      'SIGINT'
    )
    expect(text.startsWith(`Cancelled (SIGINT) during "${stage}".`)).toBe(true)
    expect(text).toContain(says)
  })
})
