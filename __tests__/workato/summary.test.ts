import { describe, expect, test } from '@jest/globals'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, type RunRecord } from '../../src/workato/record.js'
import { classifyRecipes } from '../../src/workato/results.js'
import { summaryMarkdown } from '../../src/workato/summary.js'

const config = parseInputs(
  name =>
    ({ 'source-token': 's', 'target-token': 't', 'manifest-id': '12', 'folder-id': '34' })[name] ??
    '',
  { RUNNER_TEMP: '/tmp/r' }
)
const pkg = { path: '/tmp/r/workato-package-12.zip', sha256: 'ab'.repeat(32), size: 2048 }
const record = (extra: Partial<RunRecord>): RunRecord => ({ ...newRecord(config), ...extra })

/** Cells of a GitHub table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map(c => c.trim())
}

describe('summary', () => {
  test('a failed import: heading, reason, where it stopped, failures first, every row well-formed', () => {
    const md = summaryMarkdown(
      record({
        stage: 'verify',
        failures: ['2 of 4 recipes did not import cleanly into folder 34.'],
        export: { packageId: '240' },
        package: pkg,
        artifact: { kept: true, id: 7, size: 2100 },
        import: {
          packageId: '241',
          recipes: classifyRecipes([
            { id: 1, import_result: 'restarted' },
            { id: 2, import_result: 'stopped' },
            { id: 3, import_result: 'no_update_or_update_without_restart' },
            { id: 4, import_result: 'weird|value' }
          ])
        }
      })
    )
    expect(md.startsWith('## ❌ Workato promotion failed\n')).toBe(true)
    expect(md).toContain('> **2 of 4 recipes did not import cleanly into folder 34.**')
    expect(md).toContain('| Stopped at | verify |')
    expect(md).toContain('| Artifact | workato-package-12 (id `7`) |')
    expect(md).toContain('| Package | workato-package-12.zip, 2.0 KiB |')
    expect(md).toContain(`| Package | \`${'ab'.repeat(32)}\` | 2048 bytes |`)
    expect(md).toContain('folder `34`, import package `241`')
    const table = md.split('\n').filter(l => /^\| (✅|❌) \|/.test(l))
    // by id, linked to the target's recipe page, when no list named them
    expect(table.map(r => cells(r)[1])).toEqual(
      ['2', '4', '1', '3'].map(id => `[${id}](https://www.workato.com/recipes/${id})`)
    )
    for (const row of table) expect(cells(row)).toHaveLength(4)
    expect(table[1]).toContain('weird\\|value')
  })

  test('timed out and not kept', () => {
    const md = summaryMarkdown(
      record({
        stage: 'wait for export',
        interrupted: { by: 'time limit' },
        failures: ['still running'],
        export: { packageId: '240' },
        artifact: { kept: false, reason: 'no artifact service here' }
      })
    )
    expect(md).toContain('## ⏱️ Workato promotion timed out')
    expect(md).toContain('| Artifact | not kept: no artifact service here |')
    expect(md).not.toContain('### Recipes')
  })

  test('the package contents: counts, then the assets, collapsed past ten', () => {
    const assets = Array.from({ length: 11 }, (_, i) => ({
      path: `F/r${i}.recipe.json`,
      type: 'recipe',
      name: `R ${i}`
    }))
    const long = summaryMarkdown(record({ package: { ...pkg, inventory: assets } }))
    expect(long).toContain('### Package contents: 11 recipes\n')
    expect(long).toContain('<details><summary>11 assets</summary>')
    expect(long).toContain('| F/r10.recipe.json | recipe | R 10 |')
    const short = summaryMarkdown(record({ package: { ...pkg, inventory: assets.slice(0, 2) } }))
    expect(short).not.toContain('assets</summary>')
    expect(short).toContain('| F/r1.recipe.json | recipe | R 1 |')
  })
})
