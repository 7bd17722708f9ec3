/** The Workato words of the report: outputs, one annotation per failed recipe, the job summary. */
import * as path from 'node:path'
import * as core from '@actions/core'
import type { Kept } from '../shared/artifact.js'
import type { Outcome } from '../shared/errors.js'
import { formatBytes } from '../shared/package-file.js'
import type { Plan } from '../shared/plan.js'
import { collapsible, esc, setOutputs } from '../shared/report.js'
import { oneLine } from '../shared/text.js'
import { countByType, type Asset } from './inventory.js'
import { failureText, folderOf } from './messages.js'
import { failedRecipes, isSuccess, outcomeOf, type RunRecord } from './record.js'
import { describeResult, failuresFirst, type RecipeResult } from './results.js'

export function writeOutputs(record: RunRecord): void {
  const { package: pkg, artifact, import: imported, snapshot } = record
  setOutputs({
    'export-package-id': record.export?.packageId,
    'import-package-id': imported?.packageId,
    'package-path': pkg?.path,
    'package-sha256': pkg?.sha256,
    'package-size': pkg?.size,
    'artifact-id': artifact?.kept ? artifact.id : undefined,
    'artifact-digest': artifact?.kept ? artifact.digest : undefined,
    'sent-sha256': imported?.sentSha256,
    'recipe-results': imported?.recipes && JSON.stringify(imported.recipes),
    'failed-recipes': imported?.recipes && failedRecipes(record).length,
    inventory: pkg?.inventory && JSON.stringify(pkg.inventory),
    plan: snapshot?.plan && JSON.stringify(snapshot.plan),
    'snapshot-package-id': snapshot?.packageId,
    'snapshot-sha256': snapshot?.file?.sha256,
    'rollback-package-id': record.rollback?.packageId,
    'started-recipes': record.running && JSON.stringify(record.running.started.map(r => r.id)),
    'stopped-recipes':
      record.running &&
      JSON.stringify(
        record.running.stoppedByImport
          .filter(r => !record.running?.started.some(s => s.id === r.id))
          .map(r => r.id)
      ),
    'source-workspace': record.preflight?.source?.workspace,
    'target-workspace': record.preflight?.target?.workspace,
    connections:
      record.connections &&
      JSON.stringify(
        record.connections.statuses.map(({ name, provider, folder, status }) => ({
          name,
          provider,
          folder,
          status
        }))
      ),
    outcome: outcomeOf(record)
  })
}

/** One annotation per recipe that did not import cleanly, so each shows on the run page. */
export function annotateRecipes(record: RunRecord): void {
  for (const recipe of failedRecipes(record)) {
    const id = oneLine(recipe.id, 40)
    core.error(
      `Recipe ${id}: import_result "${oneLine(recipe.import_result, 80)}": ${describeResult(recipe.import_result).meaning} ` +
        `Check it in folder ${folderOf(record.config)} of the target workspace.`,
      { title: `Recipe ${id} did not import cleanly` }
    )
  }
}

const HEADINGS: Record<Outcome, string> = {
  succeeded: '✅ Workato promotion succeeded',
  failed: '❌ Workato promotion failed',
  'timed-out': '⏱️ Workato promotion timed out',
  cancelled: '🛑 Workato promotion cancelled',
  unchanged: '✅ Nothing to promote: the target already has this package',
  'rolled-back': '↩️ Workato promotion failed and was rolled back',
  'rollback-failed': '🚨 Workato promotion failed and so did its rollback'
}

export function summaryMarkdown(record: RunRecord): string {
  const outcome = outcomeOf(record)
  const heading =
    record.config.mode === 'plan' && outcome === 'succeeded'
      ? '📋 Workato plan: what an import would change'
      : HEADINGS[outcome]
  const lines: string[] = [`## ${heading}`, '']
  if (!isSuccess(outcome)) lines.push(`> **${esc(failureText(record))}**`, '')
  lines.push(...details(record), '')
  if (record.preflight) lines.push(...preflightMarkdown(record.preflight))
  if (record.connections) lines.push(...connectionsMarkdown(record.connections))
  if (record.running) lines.push(...runningMarkdown(record.running))
  if (record.rollback) lines.push(...rollbackMarkdown(record.rollback))
  if (record.snapshot?.plan) lines.push(...planMarkdown(record.snapshot.plan))
  if (record.package?.inventory) lines.push(...inventoryMarkdown(record.package.inventory))
  if (record.import?.recipes) lines.push(...recipesMarkdown(record.import.recipes))
  return lines.join('\n')
}

/** Which workspace each token reached, and what pre-flight could not look at. */
function preflightMarkdown(checks: NonNullable<RunRecord['preflight']>): string[] {
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

const CONNECTION_STATES = {
  authorized: '✅ authorized',
  'not-authorized': '⚠️ not authorized',
  missing: '⚠️ missing: created without credentials'
}

/** The connections the recipes use, as the target holds them; problems first. */
function connectionsMarkdown(connections: NonNullable<RunRecord['connections']>): string[] {
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
function runningMarkdown(running: NonNullable<RunRecord['running']>): string[] {
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

/** The table of what ran where: hosts, ids, hashes, artifacts. */
function details(record: RunRecord): string[] {
  const { config, package: pkg, import: imported, snapshot } = record
  const rows = ['| What | Value |', '|---|---|', `| Mode | \`${config.mode}\` |`]
  if ('source' in config) {
    const exported = record.export ? `, export package \`${record.export.packageId}\`` : ''
    rows.push(
      `| Source | ${esc(config.source.baseUrl)}, manifest \`${config.manifestId}\`${exported} |`
    )
  }
  if ('target' in config) {
    const into = imported ? `, import package \`${imported.packageId}\`` : ''
    rows.push(`| Target | ${esc(config.target.baseUrl)}, folder \`${folderOf(config)}\`${into} |`)
  }
  if (pkg) {
    rows.push(
      `| Package | ${esc(path.basename(pkg.path))}, ${formatBytes(pkg.size)} (${pkg.size} bytes) |`
    )
    rows.push(`| sha256 | \`${pkg.sha256}\` |`)
  }
  if (imported?.sentSha256) {
    const same =
      imported.sentSha256 === pkg?.sha256
        ? 'the package, byte for byte'
        : 'DIFFERS from the package'
    rows.push(`| sha256 sent to import | \`${imported.sentSha256}\` (${same}) |`)
  }
  if (snapshot?.file) {
    rows.push(
      `| Target snapshot | package \`${snapshot.packageId}\`, sha256 \`${snapshot.file.sha256}\` |`
    )
  }
  if (record.artifact) rows.push(artifactRow(config.artifactName, record.artifact))
  if (!isSuccess(outcomeOf(record))) rows.push(`| Stopped at | ${esc(record.stage)} |`)
  return rows
}

function artifactRow(name: string, kept: Kept): string {
  if (!kept.kept) return `| Artifact | not kept: ${esc(kept.reason)} |`
  // the artifact's own upload digest: of the zip the artifact service stores around the package
  const digest = kept.digest ? `, upload sha256 \`${kept.digest}\`` : ''
  return `| Artifact | ${esc(name)} (id \`${kept.id}\`${digest}) |`
}

function recipesMarkdown(recipes: RecipeResult[]): string[] {
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

function rollbackMarkdown(rollback: NonNullable<RunRecord['rollback']>): string[] {
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
function planMarkdown(plan: Plan): string[] {
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
function inventoryMarkdown(assets: Asset[]): string[] {
  const counts = countByType(assets).map(([type, n]) => `${n} ${esc(type)}`)
  const lines = [`### Package contents: ${counts.join(', ') || 'no assets'}`, '']
  if (assets.length === 0) return lines
  const table = ['| Path | Type | Name |', '|---|---|---|']
  for (const a of assets) table.push(`| ${esc(a.path)} | ${esc(a.type)} | ${esc(a.name)} |`)
  if (assets.length <= 10) return [...lines, ...table, '']
  return [...lines, ...collapsible(`${assets.length} assets`, table, 0)]
}
