import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, jest, test } from '@jest/globals'
import {
  capRows,
  collapsible,
  esc,
  fitSummary,
  MAX_TABLE_ROWS,
  writeSummary
} from '../../src/shared/report.js'

describe('esc', () => {
  test('keeps text from outside inside its cell, with no HTML', () => {
    expect(esc('a|b')).toBe('a\\|b')
    expect(esc('<script>x</script>')).toBe('&lt;script&gt;x&lt;/script&gt;')
    expect(esc('line\nbreak')).toBe('line break')
    expect(esc('*bold* _it_ `code` [link](x)')).toBe('\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)')
  })

  test('breaks what GFM would turn into links, and drops format characters', () => {
    expect(esc('https://evil.example.com')).toBe('https\\://evil.example.com')
    expect(esc('www.evil.com')).toBe('www\\.evil.com')
    expect(esc('help@evil.com')).toBe('help\\@evil.com')
    expect(esc('abc\u202edef\u200b')).toBe('abcdef')
  })
})

describe('collapsible', () => {
  test('rows as they are up to the limit, in a details block past it', () => {
    expect(collapsible('3 rows', ['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c', ''])
    expect(collapsible('3 rows', ['a', 'b', 'c'], 2)).toEqual([
      '<details><summary>3 rows</summary>',
      '',
      'a',
      'b',
      'c',
      '',
      '</details>',
      ''
    ])
  })
})

describe('the summary’s bounds', () => {
  test('capRows keeps the first rows and says how many more there are', () => {
    const rows = Array.from({ length: MAX_TABLE_ROWS + 3 }, (_, i) => `| ${i} |`)
    const shown = capRows(rows, n => `| and ${n} more |`)
    expect(shown).toHaveLength(MAX_TABLE_ROWS + 1)
    expect(shown.at(-1)).toBe('| and 3 more |')
    expect(capRows(['a'], () => 'never')).toEqual(['a'])
  })

  test('fitSummary cuts at a whole line under the limit, closes open details and says so', () => {
    const markdown = [
      '## Head',
      '<details><summary>x</summary>',
      ...Array<string>(5000).fill('é'.repeat(50))
    ].join('\n')
    const fitted = fitSummary(markdown, 10_000)
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(10_000)
    expect(fitted.startsWith('## Head\n<details>')).toBe(true)
    expect(fitted).toContain("cut to stay under GitHub's 1 MiB limit")
    expect(fitted.trimEnd().endsWith('</details>')).toBe(true)
    expect(fitted).not.toContain('\uFFFD')
    expect(fitSummary('short', 10_000)).toBe('short')
  })

  test('a summary that cannot be built is replaced by the verdict, with a warning, never an error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'summary-'))
    const file = path.join(dir, 'summary.md')
    await writeFile(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      await writeSummary(
        () => {
          throw new TypeError('t.includes is not a function')
        },
        () => '## ❌ failed'
      )
      expect(await readFile(file, 'utf8')).toContain('## ❌ failed')
      expect(out.mock.calls.map(c => String(c[0])).join('')).toMatch(
        /::warning::Could not build the whole job summary/
      )
    } finally {
      out.mockRestore()
      delete process.env.GITHUB_STEP_SUMMARY
      await rm(dir, { recursive: true, force: true })
    }
  })
})
