/** The sections of the job summary below its details table, one per step that has something to say. */
import type { Plan } from '../shared/plan.js'
import { collapsible, esc } from '../shared/report.js'
import { countByType, type Asset } from './inventory.js'
import type { RunRecord } from './record.js'
import { describeResult, failuresFirst, type RecipeResult } from './results.js'

const CONNECTION_STATES = {
  authorized: '✅ authorized',
  'not-authorized': '⚠️ not authorized',
  missing: '⚠️ missing: created without credentials'
}

/** Which workspace each token reached, and what pre-flight could not look at. */
export function preflightMarkdown(checks: NonNullable<RunRecord['preflight']>): string[] {
  const sides = (['source', 'target'] as const).filter(side => checks[side])
  const reached = sides.map(side => {
    const name = checks[side]?.workspace
    return `${side} workspace ${name ? `**${esc(name)}**` : '(not known)'}`
  })
  const warnings = sides.flatMap(side => checks[side]?.warnings ?? [])
  const lines = [`### Pre-flight: ${reached.join(', ')}`, '']
  if (warnings.length === 0)
    return [...lines, 'Tokens, folder and manifests checked: all there.', '']
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
    for (const s of sorted) {
      lines.push(
        `| ${esc(s.name)} | ${esc(s.provider)} | ${esc(s.folder || '(import folder)')} | ${CONNECTION_STATES[s.status]} | ${esc(s.recipes.join(', '))} |`
      )
    }
    lines.push('')
  }
  for (const o of outside)
    lines.push(`- ${esc(o.recipe)} uses a ${esc(o.provider)} connection not in the package`)
  return outside.length > 0 ? [...lines, ''] : lines
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
  for (const r of refused)
    lines.push(`| ${esc(r.name)} (${esc(r.id)}) | ❌ stopped | ${esc(r.why)} |`)
  for (const r of started)
    lines.push(`| ${esc(r.name)} (${esc(r.id)}) | ✅ running | started again by this action |`)
  return [...lines, '']
}

export function recipesMarkdown(recipes: RecipeResult[]): string[] {
  const failed = recipes.filter(r => !r.ok).length
  const lines = [`### Recipes: ${recipes.length - failed} ok, ${failed} failed`, '']
  if (recipes.length === 0) return [...lines, 'Workato reported no recipes for this import.', '']
  lines.push('| | Recipe | import_result | Meaning |', '|---|---|---|---|')
  for (const r of failuresFirst(recipes)) {
    const result = /^[a-z0-9_]+$/.test(r.import_result)
      ? `\`${r.import_result}\``
      : esc(r.import_result)
    const meaning = esc(describeResult(r.import_result).meaning)
    lines.push(`| ${r.ok ? '✅' : '❌'} | ${esc(r.id)} | ${result} | ${meaning} |`)
  }
  return [...lines, '']
}

export function rollbackMarkdown(rollback: NonNullable<RunRecord['rollback']>): string[] {
  const how = rollback.problem
    ? `❌ failed: ${esc(rollback.problem)}`
    : '✅ the snapshot was restored'
  const pkg = rollback.packageId ? ` (import package \`${rollback.packageId}\`)` : ''
  const lines = [`### Rollback${pkg}: ${how}`, '']
  if (rollback.recipes.length > 0) {
    lines.push('| | Recipe | import_result |', '|---|---|---|')
    for (const r of failuresFirst(rollback.recipes)) {
      lines.push(`| ${r.ok ? '✅' : '❌'} | ${esc(r.id)} | ${esc(r.import_result)} |`)
    }
    lines.push('')
  }
  return lines
}

/** The plan against the target's snapshot: changes first, the unchanged collapsed. */
export function planMarkdown(plan: Plan): string[] {
  const lines = [
    `### Plan: ${plan.added.length} added, ${plan.changed.length} changed, ` +
      `${plan.unchanged.length} unchanged, ${plan.onlyInTarget.length} only in target`,
    ''
  ]
  const rows: Array<[string, string[]]> = [
    ['changed', plan.changed],
    ['added', plan.added],
    ['only in target', plan.onlyInTarget]
  ]
  const shown = rows.flatMap(([what, files]) => files.map(f => `| ${what} | ${esc(f)} |`))
  if (shown.length > 0) lines.push('| Change | Asset |', '|---|---|', ...shown, '')
  if (plan.unchanged.length > 0) {
    const unchanged = plan.unchanged.map(f => `- ${esc(f)}`)
    lines.push(...collapsible(`${plan.unchanged.length} unchanged`, unchanged, 0))
  }
  return lines
}

/** Counts per type, then the assets: in a collapsed block when there are more than ten. */
export function inventoryMarkdown(assets: Asset[]): string[] {
  const counts = countByType(assets).map(([type, n]) => `${n} ${esc(type)}`)
  const lines = [`### Package contents: ${counts.join(', ') || 'no assets'}`, '']
  if (assets.length === 0) return lines
  const table = ['| Path | Type | Name |', '|---|---|---|']
  for (const a of assets) table.push(`| ${esc(a.path)} | ${esc(a.type)} | ${esc(a.name)} |`)
  if (assets.length <= 10) return [...lines, ...table, '']
  return [...lines, ...collapsible(`${assets.length} assets`, table, 0)]
}
