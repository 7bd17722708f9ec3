/** The sections of the job summary below its details table, one per step that has something to say. */
import * as path from 'node:path'
import type { Plan } from './plan.js'
import { capRows, collapsible, esc, MAX_TABLE_ROWS } from '../shared/report.js'
import { oneLine, plural } from '../shared/text.js'
import { assetType, countByType, type Asset } from './inventory.js'
import type { RunRecord } from './record.js'
import { describeResult, failuresFirst, type RecipeResult } from './results.js'
import type { TestResult } from './tests.js'

const CONNECTION_STATES = {
  authorized: '✅ authorized',
  'not-authorized': '⚠️ not authorized',
  missing: '⚠️ missing: created without credentials'
}

/** Which workspace each token reached, and what pre-flight could not look at. */
export function preflightMarkdown(
  checks: NonNullable<RunRecord['preflight']>,
  checked = 'Tokens, folder and manifests'
): string[] {
  const sides = (['source', 'target'] as const).filter(side => checks[side])
  const reached = sides.map(side => {
    const name = checks[side]?.workspace
    return `${side} workspace ${name ? `**${esc(name)}**` : '(not known)'}`
  })
  const warnings = sides.flatMap(side => checks[side]?.warnings ?? [])
  const lines = [`### Pre-flight: ${reached.join(', ')}`, '']
  if (warnings.length === 0) return [...lines, `${checked} checked: all there.`, '']
  return [...lines, ...warnings.map(w => `- ⚠️ ${esc(w)}`), '']
}

/** The connections the recipes use, as the target holds them; problems first. */
export function connectionsMarkdown(connections: NonNullable<RunRecord['connections']>): string[] {
  const { statuses, outside } = connections
  const ready = statuses.filter(s => s.status === 'authorized').length
  const lines = [`### Connections: ${ready} of ${statuses.length} ready in the target`, '']
  const sorted = [
    ...statuses.filter(s => s.status !== 'authorized'),
    ...statuses.filter(s => s.status === 'authorized')
  ]
  if (sorted.length > 0) {
    lines.push('| Connection | App | Folder | In the target | Used by |', '|---|---|---|---|---|')
    const rows = sorted.map(
      s =>
        `| ${esc(s.name)} | ${esc(s.provider)} | ${esc(s.folder || '(import folder)')} | ${CONNECTION_STATES[s.status]} | ${esc(usedBy(s.recipes))} |`
    )
    lines.push(
      ...capRows(rows, n => `| … and ${n} more (all in the \`connections\` output) | | | | |`)
    )
    lines.push('')
  }
  const notes = outside.map(
    o => `- ${esc(o.recipe)} uses a ${esc(o.provider)} connection not in the package`
  )
  lines.push(
    ...capRows(notes, n => `- … and ${n} more recipes using connections not in the package`)
  )
  return outside.length > 0 ? [...lines, ''] : lines
}

/** The recipes using a connection, a few by name: the cell stays one line of a table. */
function usedBy(recipes: string[]): string {
  const named = recipes.slice(0, 5).join(', ')
  return recipes.length > 5 ? `${named} and ${recipes.length - 5} more` : named
}

/** What the import stopped, what the action started again, what is still stopped and why. */
export function runningMarkdown(running: NonNullable<RunRecord['running']>): string[] {
  const { stoppedByImport, started, refused } = running
  if (stoppedByImport.length === 0 && started.length === 0 && refused.length === 0) return []
  const lines = [
    `### Running recipes: ${stoppedByImport.length} stopped by the import, ${started.length} started, ${refused.length} still stopped`,
    '',
    '| Recipe | Now | Why |',
    '|---|---|---|'
  ]
  const still = refused.map(
    r => `| ${esc(r.name)} (${esc(r.id)}) | ❌ stopped | ${esc(oneLine(r.why, 200))} |`
  )
  lines.push(
    ...capRows(still, n => `| … and ${n} more still stopped (the \`stopped-recipes\` output) | | |`)
  )
  const back = started.map(
    r => `| ${esc(r.name)} (${esc(r.id)}) | ✅ running | started again by this action |`
  )
  lines.push(
    ...capRows(back, n => `| … and ${n} more started again (the \`started-recipes\` output) | | |`)
  )
  return [...lines, '']
}

/** Each recipe the import reported, by name and linked when known; failures first. */
export function recipesMarkdown(
  recipes: RecipeResult[],
  recipeLink: (id: string) => string = esc
): string[] {
  const failed = recipes.filter(r => !r.ok).length
  const lines = [`### Recipes: ${recipes.length - failed} ok, ${failed} failed`, '']
  if (recipes.length === 0) return [...lines, 'Workato reported no recipes for this import.', '']
  lines.push('| | Recipe | import_result | Meaning |', '|---|---|---|---|')
  const row = (r: RecipeResult, meaning: boolean) => {
    const result = /^[a-z0-9_]{1,60}$/.test(r.import_result)
      ? `\`${r.import_result}\``
      : esc(oneLine(r.import_result, 60))
    const said = meaning ? esc(describeResult(r.import_result).meaning) : ''
    return `| ${r.ok ? '✅' : '❌'} | ${recipeLink(r.id)} | ${result} | ${said} |`
  }
  // every failed recipe, always (past the cap without the meaning, which the first rows give);
  // the clean ones capped
  const failedRows = recipes.filter(r => !r.ok).map((r, i) => row(r, i < MAX_TABLE_ROWS))
  const okRows = recipes.filter(r => r.ok).map(r => row(r, true))
  lines.push(
    ...failedRows,
    ...capRows(
      okRows,
      n => `| ✅ | … and ${n} more imported cleanly (the \`recipe-results\` output) | | |`
    )
  )
  return [...lines, '']
}

/**
 * The test gate: how many passed, then a table per recipe with its test cases, failures first;
 * coverage as Workato gives it, for information.
 */
export function testsMarkdown(tests: NonNullable<RunRecord['tests']>): string[] {
  const failed = tests.results.filter(r => r.status !== 'succeeded')
  const lines = [
    `### Tests: ${tests.results.length - failed.length} passed, ${failed.length} failed`,
    ''
  ]
  if (tests.coverage) lines.push(`Coverage, as Workato reports it: ${esc(tests.coverage)}.`, '')
  if (tests.results.length === 0) return lines
  const byRecipe = new Map<string, TestResult[]>()
  // recipes with a failure first, then each recipe's failures first
  const ordered = [...failed, ...tests.results.filter(r => r.status === 'succeeded')]
  for (const r of ordered) byRecipe.set(r.recipe_id, [...(byRecipe.get(r.recipe_id) ?? []), r])
  for (const [id, results] of [...byRecipe].slice(0, MAX_TABLE_ROWS)) {
    const rows = results.map(
      r =>
        `| ${r.status === 'succeeded' ? '✅' : '❌'} | ${esc(r.test_case)} | \`${esc(r.status)}\` | ${r.job_id ? esc(r.job_id) : ''} |`
    )
    lines.push(
      `**${esc(results[0]?.recipe ?? id)}** (${esc(id)})`,
      '',
      '| | Test case | Status | Job |',
      '|---|---|---|---|',
      ...capRows(rows, n => `| | … and ${n} more (the \`test-results\` output) | | |`),
      ''
    )
  }
  if (byRecipe.size > MAX_TABLE_ROWS) {
    lines.push(
      `… and ${byRecipe.size - MAX_TABLE_ROWS} more recipes (the \`test-results\` output).`,
      ''
    )
  }
  return lines
}

/** How the rollback ended, or why there was none; and what no rollback can undo. */
export function rollbackMarkdown(
  record: RunRecord,
  recipeLink: (id: string) => string = esc
): string[] {
  const { rollback, rollbackSkipped } = record
  const added = record.snapshot?.plan?.added.length ?? 0
  const stay =
    added > 0
      ? [
          `An import never deletes: the ${plural(added, 'asset')} it added (marked *added* below) ${added === 1 ? 'stays' : 'stay'} in the folder.`,
          ''
        ]
      : []
  if (!rollback)
    return [`### Rollback: not done`, '', `${esc(rollbackSkipped ?? '')}.`, '', ...stay]
  const how = rollback.problem
    ? `❌ failed: ${esc(rollback.problem)}`
    : '✅ the snapshot was restored'
  const pkg = rollback.packageId ? ` (import package \`${rollback.packageId}\`)` : ''
  const lines = [`### Rollback${pkg}: ${how}`, '', ...stay]
  if (rollback.recipes.length > 0) {
    lines.push('| | Recipe | import_result |', '|---|---|---|')
    const rows = failuresFirst(rollback.recipes).map(
      r => `| ${r.ok ? '✅' : '❌'} | ${recipeLink(r.id)} | ${esc(oneLine(r.import_result, 60))} |`
    )
    lines.push(...capRows(rows, n => `| | … and ${n} more | |`))
    lines.push('')
  }
  return lines
}

const CHANGE_ORDER = ['changed', 'added', 'only in target', 'unchanged'] as const

/**
 * The package's assets in one table: with a plan, each with what the import changes (changes
 * first, and the target's own assets the import leaves alone); collapsed past ten rows.
 */
export function assetsMarkdown(assets: Asset[], plan?: Plan): string[] {
  const counts = countByType(assets).map(([type, n]) => plural(n, esc(type)))
  const lines: string[] = []
  if (plan) {
    lines.push(
      `### Plan: ${plan.added.length} added, ${plan.changed.length} changed, ` +
        `${plan.unchanged.length} unchanged, ${plan.onlyInTarget.length} only in target`,
      '',
      `Package contents: ${counts.join(', ') || 'no assets'}.`,
      ''
    )
  } else lines.push(`### Package contents: ${counts.join(', ') || 'no assets'}`, '')
  const byPath = new Map(assets.map(a => [a.path, a]))
  const change = (p: string): (typeof CHANGE_ORDER)[number] | undefined =>
    !plan
      ? undefined
      : plan.changed.includes(p)
        ? 'changed'
        : plan.added.includes(p)
          ? 'added'
          : plan.onlyInTarget.includes(p)
            ? 'only in target'
            : 'unchanged'
  const paths = [...assets.map(a => a.path), ...(plan?.onlyInTarget ?? [])]
  const rank = (p: string) => CHANGE_ORDER.indexOf(change(p) ?? 'unchanged')
  const rows = paths
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i)
    .map(({ p }) => {
      const asset = byPath.get(p) ?? { path: p, type: assetType(p), name: path.posix.basename(p) }
      const cells = [asset.path, asset.type, asset.name].map(t => esc(oneLine(t, 200)))
      return `| ${plan ? `${change(p)} | ` : ''}${cells.join(' | ')} |`
    })
  if (rows.length === 0) return lines
  const header = plan
    ? ['| Change | Path | Type | Name |', '|---|---|---|---|']
    : ['| Path | Type | Name |', '|---|---|---|']
  if (rows.length <= 10) return [...lines, ...header, ...rows, '']
  const shown = capRows(
    rows,
    n =>
      `| … and ${n} more (all in the \`${plan ? 'plan' : 'inventory'}\` output) |${plan ? ' |' : ''} | |`
  )
  return [...lines, ...collapsible(`${rows.length} assets`, [...header, ...shown], 0)]
}
