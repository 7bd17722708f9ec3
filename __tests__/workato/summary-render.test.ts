/**
 * The job summary as GitHub shows it: each outcome's Markdown rendered with a GFM renderer, then
 * checked as a reader would see it: one heading, whole tables, only the links the action makes,
 * and text from Workato shown as text. SUMMARY_HTML_DIR=dir also writes each page there, to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, type RunRecord } from '../../src/workato/record.js'
import { classifyRecipes } from '../../src/workato/results.js'
import { summaryMarkdown } from '../../src/workato/summary.js'
import { group, item, only } from '../checked.js'

const HOST = 'https://app.eu.workato.com'
const env = {
  GITHUB_REF_NAME: 'v1.4.0',
  GITHUB_SHA: '3f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098',
  GITHUB_REPOSITORY: 'acme/workato-release',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_ACTOR: 'release-bot',
  GITHUB_RUN_ATTEMPT: '2'
}
const COMMIT = `https://github.com/${env.GITHUB_REPOSITORY}/commit/${env.GITHUB_SHA}`
const HOSTILE = 'Sync <img src=x onerror=alert(1)> | *bold* [x](https://evil.example) \u202e'

const configOf = (inputs: Record<string, string>) =>
  parseInputs(
    name =>
      ({
        'source-token': 's',
        'target-token': 't',
        'source-host': 'eu',
        'target-host': 'eu',
        'manifest-id': '12',
        'folder-id': '34',
        ...inputs
      })[name] ?? '',
    { RUNNER_TEMP: '/tmp/r' }
  )
const promote = configOf({ 'snapshot-manifest-id': '90' })
const pkg = {
  path: '/tmp/r/workato-package-12.zip',
  sha256: 'ab'.repeat(32),
  size: 20_480,
  inventory: [
    { path: 'Sales/sync.recipe.json', type: 'recipe', name: HOSTILE },
    { path: 'Sales/notify.recipe.json', type: 'recipe', name: 'Notify on failure' },
    { path: 'Sales/crm.connection.json', type: 'connection', name: 'crm' }
  ]
}
const plan = {
  added: ['Sales/notify.recipe.json'],
  changed: ['Sales/sync.recipe.json'],
  unchanged: ['Sales/crm.connection.json'],
  onlyInTarget: ['Sales/legacy.lookup_table.json']
}
const snapshot = {
  packageId: '250',
  file: { path: '/tmp/r/s.zip', sha256: 'cd'.repeat(32), size: 9000, recipes: 1, assets: 2 },
  plan
}
const common = (): Partial<RunRecord> => ({
  preflight: {
    source: { workspace: 'Acme DEV', warnings: [] },
    target: { workspace: 'Acme PROD', warnings: [] }
  },
  export: { packageId: '240' },
  package: pkg,
  artifact: { kept: true, id: 7, size: 20_600, digest: 'ef'.repeat(32) },
  snapshot,
  recipeNames: new Map([
    ['101', HOSTILE],
    ['102', 'Notify on failure']
  ])
})
const failedImport = {
  packageId: '241',
  sentSha256: 'ab'.repeat(32),
  recipes: classifyRecipes([
    { id: 101, import_result: 'restarted' },
    { id: 102, import_result: 'stopped' }
  ])
}
const record = (extra: Partial<RunRecord>, config = promote): RunRecord => ({
  ...newRecord(config),
  ...common(),
  ...extra
})

const OUTCOMES: Array<[string, RunRecord, string]> = [
  [
    'succeeded',
    record({
      stage: 'verify',
      import: {
        ...failedImport,
        recipes: classifyRecipes([{ id: 101, import_result: 'restarted' }])
      }
    }),
    '✅ Workato promotion succeeded'
  ],
  [
    'failed',
    record(
      {
        stage: 'verify',
        failures: ['1 of 2 recipes did not import cleanly into folder 34.'],
        import: failedImport
      },
      configOf({})
    ),
    '❌ Workato promotion failed'
  ],
  [
    'rolled-back',
    record({
      stage: 'wait for rollback',
      failures: ['1 of 2 recipes did not import cleanly into folder 34.'],
      import: failedImport,
      rollback: {
        packageId: '242',
        recipes: classifyRecipes([{ id: 101, import_result: 'restarted' }])
      }
    }),
    '↩️ Workato promotion failed and was rolled back'
  ],
  [
    'rollback-failed',
    record({
      stage: 'wait for rollback',
      failures: ['1 of 2 recipes did not import cleanly into folder 34.'],
      import: failedImport,
      rollback: { packageId: '242', recipes: [], problem: `the rollback import failed: ${HOSTILE}` }
    }),
    '🚨 Workato promotion failed and so did its rollback'
  ],
  [
    'not rolled back (empty folder)',
    record({
      stage: 'verify',
      failures: ['1 of 2 recipes did not import cleanly into folder 34.'],
      import: failedImport,
      rollbackSkipped:
        'folder 34 held nothing before this import (the snapshot is empty), so there is nothing to restore'
    }),
    '❌ Workato promotion failed'
  ],
  [
    'unchanged',
    record({
      stage: 'plan',
      skippedUnchanged: true,
      snapshot: { ...snapshot, plan: { ...plan, added: [], changed: [] } }
    }),
    '✅ Nothing to promote: the target already has this package'
  ],
  [
    'plan',
    record(
      { stage: 'plan' },
      configOf({ mode: 'plan', 'folder-id': '', 'snapshot-manifest-id': '90' })
    ),
    '📋 Workato plan: what an import would change'
  ],
  [
    'timed-out',
    record({
      stage: 'wait for import',
      interrupted: { by: 'time limit' },
      failures: ['Import package 241 is still running after 1800 s.'],
      import: { packageId: '241' }
    }),
    '⏱️ Workato promotion timed out'
  ],
  [
    'cancelled',
    record({
      stage: 'wait for export',
      interrupted: { by: 'cancel', signal: 'SIGINT' },
      failures: ['Cancelled (SIGINT) during "wait for export".']
    }),
    '🛑 Workato promotion cancelled'
  ]
]
const recordOf = (name: string): RunRecord =>
  only(
    OUTCOMES.filter(([outcome]) => outcome === name),
    `outcome ${name}`
  )[1]

function render(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
}

/** Each table's header cell count and every row's cell count. */
function tables(html: string): Array<{ header: number; rows: number[] }> {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(table => {
    // a split gives one part at least: the default is never used for the head
    const [head = '', body = ''] = group(table, 1).split('<tbody>')
    return {
      header: (head.match(/<th\b/g) ?? []).length,
      rows: [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
        r => (group(r, 1).match(/<td\b/g) ?? []).length
      )
    }
  })
}

describe('the rendered job summary', () => {
  test.each(OUTCOMES)('%s', (name, rec, heading) => {
    const html = render(summaryMarkdown(rec, env))
    if (process.env.SUMMARY_HTML_DIR) {
      mkdirSync(process.env.SUMMARY_HTML_DIR, { recursive: true })
      writeFileSync(
        path.join(process.env.SUMMARY_HTML_DIR, `${name.replace(/\W+/g, '-')}.html`),
        `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="style.css"><body class="markdown-body">${html}</body>`
      )
    }
    // one heading, the outcome's
    expect(html.match(/<h2>/g)).toHaveLength(1)
    expect(html).toContain(`<h2>${heading}</h2>`)
    // whole tables: every row has the header's cells
    const found = tables(html)
    expect(found.length).toBeGreaterThanOrEqual(1)
    for (const t of found) for (const cells of t.rows) expect(cells).toBe(t.header)
    // only the links the action makes: the folder, the commit, recipes of the target
    const hrefs = [...html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map(m => group(m, 1))
    expect(hrefs).toContain(COMMIT)
    for (const href of hrefs) {
      expect(
        [COMMIT, `${HOST}/recipes?fid=34`].includes(href) ||
          /^https:\/\/app\.eu\.workato\.com\/recipes\/\d+$/.test(href)
      ).toBe(true)
    }
    // Workato's words are text: no tag, no link, no emphasis of theirs, no bidi override
    expect(html).not.toMatch(/<img|<strong>bold|evil\.example"|\u202e/)
    // nothing left unfilled, and counted nouns agree
    expect(html).not.toMatch(/undefined|NaN|\b1 recipes\b|\b[02-9] recipe\b/)
    // the release facts at the top
    expect(html).toContain('<code>v1.4.0</code>')
    expect(html).toContain('release-bot')
    expect(html).toContain('attempt 2')
  })

  test('a failed import names its recipes, failures first, each linked to the target', () => {
    const html = render(summaryMarkdown(recordOf('failed'), env))
    const recipes = item(html.split('Recipes: 1 ok, 1 failed'), 1, 'text after the recipe counts')
    expect(recipes.indexOf('Notify on failure')).toBeLessThan(recipes.indexOf('Sync &lt;img'))
    expect(html).toContain(`<a href="${HOST}/recipes/102">Notify on failure (102)</a>`)
    expect(html).toContain('<strong>Acme PROD</strong>')
    expect(html).toContain(`<a href="${HOST}/recipes?fid=34"><code>34</code></a>`)
  })

  test('a rolled-back run says what a rollback cannot undo', () => {
    const html = render(summaryMarkdown(recordOf('rolled-back'), env))
    expect(html).toContain('the 1 asset it added (marked <em>added</em> below) stays in the folder')
    expect(html).toMatch(/<td>added<\/td>\s*<td>Sales\/notify.recipe.json<\/td>/)
  })

  test('hashes, sizes and digests are in one collapsed block', () => {
    const html = render(summaryMarkdown(recordOf('succeeded'), env))
    const block = html
      .split('<details><summary>Hashes and sizes</summary>')[1]
      ?.split('</details>')[0]
    expect(block).toContain('ab'.repeat(32))
    expect(block).toContain('cd'.repeat(32))
    expect(block).toContain('ef'.repeat(32))
    expect(block).toContain('20480 bytes')
  })
})
