import { describe, expect, test } from '@jest/globals'
import { parseInputs } from '../src/inputs.js'
import { esc, summaryMarkdown, type RunRecord } from '../src/report.js'
import { classifyRecipes } from '../src/workato/results.js'

const config = parseInputs(
  name =>
    ({ 'source-token': 's', 'target-token': 't', 'manifest-id': '12', 'folder-id': '34' })[name] ??
    '',
  { RUNNER_TEMP: '/tmp/r' }
)

/** Cells of a GitHub table row: split on pipes that are not escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map(c => c.trim())
}

describe('summary', () => {
  test('escapes text from outside so it stays inside its cell and renders no HTML', () => {
    expect(esc('a|b')).toBe('a\\|b')
    expect(esc('<script>x</script>')).toBe('&lt;script&gt;x&lt;/script&gt;')
    expect(esc('line\nbreak')).toBe('line break')
    expect(esc('*bold* _it_ `code` [link](x)')).toBe('\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)')
  })

  test('a failed import: heading, reason, where it stopped, failures first, every row well-formed', () => {
    const record: RunRecord = {
      config,
      stage: 'verify',
      outcome: 'failed',
      failure: '2 of 4 recipes did not import cleanly into folder 34.',
      exportPackageId: '240',
      importPackageId: '241',
      packageSha256: 'ab'.repeat(32),
      packageSize: 2048,
      artifact: { kept: true, id: 7, size: 2100 },
      recipes: classifyRecipes([
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'stopped' },
        { id: 3, import_result: 'no_update_or_update_without_restart' },
        { id: 4, import_result: 'weird|value' }
      ])
    }
    const md = summaryMarkdown(record)
    expect(md.startsWith('## ❌ Workato promotion failed\n')).toBe(true)
    expect(md).toContain('> **2 of 4 recipes did not import cleanly into folder 34.**')
    expect(md).toContain('| Stopped at | verify |')
    expect(md).toContain('| Artifact | workato-package-12 (id `7`) |')
    expect(md).toContain('2.0 KiB (2048 bytes)')
    const table = md.split('\n').filter(l => /^\| (✅|❌) \|/.test(l))
    expect(table.map(r => cells(r)[1])).toEqual(['2', '4', '1', '3'])
    for (const row of table) expect(cells(row)).toHaveLength(4)
    expect(table[1]).toContain('weird\\|value')
  })

  test('timed out and not kept', () => {
    const md = summaryMarkdown({
      config,
      stage: 'wait for export',
      outcome: 'timed-out',
      failure: 'still running',
      exportPackageId: '240',
      artifact: { kept: false, reason: 'no artifact service here' }
    })
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
    const long = summaryMarkdown({
      config,
      stage: 'verify',
      outcome: 'succeeded',
      inventory: assets
    })
    expect(long).toContain('### Package contents: 11 recipe')
    expect(long).toContain('<details><summary>11 assets</summary>')
    expect(long).toContain('| F/r10.recipe.json | recipe | R 10 |')
    const short = summaryMarkdown({
      config,
      stage: 'verify',
      outcome: 'succeeded',
      inventory: assets.slice(0, 2)
    })
    expect(short).not.toContain('<details>')
    expect(short).toContain('| F/r1.recipe.json | recipe | R 1 |')
  })
})
