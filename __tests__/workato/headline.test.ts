/**
 * The headline carries its warnings and says what to do next: a green ✅ over a connection that
 * will not work is a ⚠️; every headline that is not plainly green ends with a "Next:" line; a
 * rollback that worked does not say where it "stopped".
 */
import { describe, expect, test } from '@jest/globals'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, type RunRecord } from '../../src/workato/record.js'
import { classifyRecipes } from '../../src/workato/results.js'
import { summaryMarkdown } from '../../src/workato/summary.js'

const given: Record<string, string> = {
  'source-token': 's',
  'target-token': 't',
  'manifest-id': '12',
  'folder-id': '34',
  snapshot: 'true'
}
const config = parseInputs(name => given[name] ?? '', { RUNNER_TEMP: '/tmp/r' })
const record = (extra: Partial<RunRecord>): RunRecord => ({ ...newRecord(config), ...extra })
/** The lines above the target's line, with Markdown's escapes read as the page shows them. */
const headline = (md: string) =>
  (md.split('\n\n**Target**')[0] ?? '').replace(/\\(.)/g, '$1').trimEnd()
const crm = {
  name: 'CRM',
  provider: 'rest',
  folder: '',
  recipes: ['Sync accounts']
}

describe('the headline', () => {
  test('a clean promotion: ✅ and no Next line', () => {
    const md = summaryMarkdown(record({ import: { packageId: '241', recipes: [] } }))
    expect(headline(md)).toBe('## ✅ Workato promotion succeeded')
  })

  test('succeeded with 0 of 2 connections ready: ⚠️, the warning, and what to do', () => {
    const md = summaryMarkdown(
      record({
        import: { packageId: '241', recipes: [] },
        connections: {
          statuses: [
            { ...crm, status: 'not-authorized' },
            { ...crm, name: 'Slack', provider: 'slack', status: 'missing' }
          ],
          outside: []
        }
      })
    )
    expect(headline(md)).toBe(
      [
        '## ⚠️ Workato promotion succeeded, with 1 warning',
        '',
        '> ⚠️ 0 of 2 connections the recipes use are ready in the target: CRM (not-authorized), Slack (missing) will not work until someone connects them there.',
        '',
        '> **Next:** Connect the connections named above in folder 34 of the target workspace; recipes that use them do not run until then.'
      ].join('\n')
    )
  })

  test('recipes left stopped and the same workspace on both sides are warnings too', () => {
    const stopped = { id: '7', name: 'Nightly export', running: false, folderId: '34' }
    const md = summaryMarkdown(
      record({
        running: { stoppedByImport: [stopped], started: [], refused: [{ ...stopped, why: 'x' }] },
        preflight: { sameWorkspace: 'The source and target tokens reach the same workspace.' }
      })
    )
    expect(headline(md)).toContain('## ⚠️ Workato promotion succeeded, with 2 warnings')
    expect(headline(md)).toContain('> ⚠️ 1 recipe that ran before is stopped now: Nightly export.')
    expect(headline(md)).toContain('> ⚠️ The source and target tokens reach the same workspace.')
  })

  test('a failed recipe, not rolled back: fix forward, or import the previous release', () => {
    const md = summaryMarkdown(
      record({
        stage: 'verify',
        failures: ['1 of 1 recipe did not import cleanly into folder 34.'],
        import: {
          packageId: '241',
          recipes: classifyRecipes([{ id: 5, import_result: 'stopped' }])
        }
      })
    )
    expect(headline(md)).toContain(
      '> **Next:** Open the recipes named below in folder 34 of the target workspace: fix them in the source and release again (fix forward)'
    )
  })

  test('rolled back: what the folder holds now, and no "Stopped at"', () => {
    const md = summaryMarkdown(
      record({
        stage: 'wait for rollback',
        failures: ['1 of 1 recipe did not import cleanly into folder 34.'],
        import: {
          packageId: '241',
          recipes: classifyRecipes([{ id: 5, import_result: 'stopped' }])
        },
        rollback: { packageId: '242', recipes: [] }
      })
    )
    expect(headline(md)).toContain(
      '> **Next:** Folder 34 of the target workspace holds the snapshot again'
    )
    expect(md).not.toContain('Stopped at')
  })

  test('the rollback failed: restore by hand from the snapshot artifact', () => {
    const md = summaryMarkdown(
      record({
        stage: 'wait for rollback',
        failures: ['The import failed.'],
        rollback: { packageId: '242', recipes: [], problem: 'the rollback import failed' }
      })
    )
    expect(headline(md)).toContain(
      '> **Next:** Restore folder 34 of the target workspace by hand: run mode: import with the snapshot artifact workato-package-12-snapshot-34'
    )
    expect(md).toContain('| Stopped at | wait for rollback |')
  })

  test('timed out: find out whether it finished before running again', () => {
    const md = summaryMarkdown(
      record({ stage: 'wait for import', failures: ['x'], interrupted: { by: 'time limit' } })
    )
    expect(headline(md)).toContain(
      '> **Next:** Look at the package named above in Workato: it may still be running.'
    )
  })
})
