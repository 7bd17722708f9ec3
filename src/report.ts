import * as path from 'node:path'
import * as core from '@actions/core'
import type { Kept } from './shared/artifact.js'
import { countByType, type Asset } from './workato/inventory.js'
import type { Plan } from './shared/plan.js'
import type { Outcome } from './shared/errors.js'
import type { Config } from './inputs.js'
import { formatBytes } from './shared/package-file.js'
import { redact } from './shared/secrets.js'
import { oneLine } from './shared/text.js'
import { describeResult, failuresFirst, type RecipeResult } from './workato/results.js'

/** Everything a run learned, filled in as it goes, so a failed run still reports what it did. */
export interface RunRecord {
  config: Config
  stage: string
  outcome?: Outcome
  failure?: string
  exportPackageId?: string
  importPackageId?: string
  packageSha256?: string
  packageSize?: number
  sentSha256?: string
  artifact?: Kept
  recipes?: RecipeResult[]
  inventory?: Asset[]
  snapshotPackageId?: string
  snapshotSha256?: string
  snapshotArtifact?: Kept
  /** The snapshot on disk, for a rollback. */
  snapshot?: { path: string; size: number; sha256: string; recipes: number }
  plan?: Plan
  rollback?: { packageId?: string; recipes: RecipeResult[]; problem?: string }
}

export function failedRecipes(record: RunRecord): RecipeResult[] {
  return (record.recipes ?? []).filter(r => !r.ok)
}

export function writeOutputs(record: RunRecord): void {
  const set = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) core.setOutput(name, redact(String(value)))
  }
  set('export-package-id', record.exportPackageId)
  set('import-package-id', record.importPackageId)
  if (record.packageSha256) set('package-path', record.config.packagePath)
  set('package-sha256', record.packageSha256)
  set('package-size', record.packageSize)
  set('artifact-id', record.artifact?.kept ? record.artifact.id : undefined)
  set('artifact-digest', record.artifact?.kept ? record.artifact.digest : undefined)
  set('sent-sha256', record.sentSha256)
  if (record.recipes) {
    set('recipe-results', JSON.stringify(record.recipes))
    set('failed-recipes', failedRecipes(record).length)
  }
  if (record.inventory) set('inventory', JSON.stringify(record.inventory))
  if (record.plan) set('plan', JSON.stringify(record.plan))
  set('snapshot-package-id', record.snapshotPackageId)
  set('snapshot-sha256', record.snapshotSha256)
  set('rollback-package-id', record.rollback?.packageId)
  set('outcome', record.outcome)
}

/** One annotation per recipe that did not import cleanly, so each shows on the run page. */
export function annotateRecipes(record: RunRecord): void {
  for (const recipe of failedRecipes(record)) {
    const id = oneLine(recipe.id, 40)
    core.error(
      `Recipe ${id}: import_result "${oneLine(recipe.import_result, 80)}": ${describeResult(recipe.import_result).meaning} ` +
        `Check it in folder ${record.config.folderId} of the target workspace.`,
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

/** Outcomes that do not fail the job. */
export function isSuccess(outcome: Outcome | undefined): boolean {
  return outcome === 'succeeded' || outcome === 'unchanged'
}

export function summaryMarkdown(record: RunRecord): string {
  const { config } = record
  const outcome = record.outcome ?? 'failed'
  const heading =
    config.mode === 'plan' && outcome === 'succeeded'
      ? '📋 Workato plan: what an import would change'
      : HEADINGS[outcome]
  const lines: string[] = [`## ${heading}`, '']
  if (record.failure) lines.push(`> **${esc(record.failure)}**`, '')
  lines.push('| What | Value |', '|---|---|', `| Mode | \`${config.mode}\` |`)
  if (config.source) {
    const exported = record.exportPackageId ? `, export package \`${record.exportPackageId}\`` : ''
    lines.push(
      `| Source | ${esc(config.source.baseUrl)}, manifest \`${config.manifestId}\`${exported} |`
    )
  }
  if (config.target) {
    const imported = record.importPackageId ? `, import package \`${record.importPackageId}\`` : ''
    lines.push(
      `| Target | ${esc(config.target.baseUrl)}, folder \`${config.folderId}\`${imported} |`
    )
  }
  if (record.packageSha256) {
    lines.push(
      `| Package | ${esc(path.basename(config.packagePath))}, ${formatBytes(record.packageSize ?? 0)} (${record.packageSize} bytes) |`
    )
    lines.push(`| sha256 | \`${record.packageSha256}\` |`)
  }
  if (record.sentSha256) {
    const same =
      record.sentSha256 === record.packageSha256
        ? 'the package, byte for byte'
        : 'DIFFERS from the package'
    lines.push(`| sha256 sent to import | \`${record.sentSha256}\` (${same}) |`)
  }
  if (record.snapshotSha256) {
    lines.push(
      `| Target snapshot | package \`${record.snapshotPackageId}\`, sha256 \`${record.snapshotSha256}\` |`
    )
  }
  if (record.artifact) {
    lines.push(
      record.artifact.kept
        ? `| Artifact | ${esc(config.artifactName)} (id \`${record.artifact.id}\`${digest(record.artifact)}) |`
        : `| Artifact | not kept: ${esc(record.artifact.reason)} |`
    )
  }
  if (!isSuccess(record.outcome)) lines.push(`| Stopped at | ${esc(record.stage)} |`)
  lines.push('')
  if (record.rollback) lines.push(...rollbackMarkdown(record.rollback))
  if (record.plan) lines.push(...planMarkdown(record.plan))
  if (record.inventory) lines.push(...inventoryMarkdown(record.inventory))
  if (record.recipes) {
    const failed = failedRecipes(record).length
    lines.push(`### Recipes: ${record.recipes.length - failed} ok, ${failed} failed`, '')
    if (record.recipes.length === 0) {
      lines.push('Workato reported no recipes for this import.', '')
    } else {
      lines.push('| | Recipe | import_result | Meaning |', '|---|---|---|---|')
      for (const r of failuresFirst(record.recipes)) {
        const result = /^[a-z0-9_]+$/.test(r.import_result)
          ? `\`${r.import_result}\``
          : esc(r.import_result)
        const meaning = esc(describeResult(r.import_result).meaning)
        lines.push(`| ${r.ok ? '✅' : '❌'} | ${esc(r.id)} | ${result} | ${meaning} |`)
      }
      lines.push('')
    }
  }
  return lines.join('\n')
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
    lines.push(`<details><summary>${plan.unchanged.length} unchanged</summary>`, '')
    lines.push(...plan.unchanged.map(f => `- ${esc(f)}`), '', '</details>', '')
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
  return [
    ...lines,
    `<details><summary>${assets.length} assets</summary>`,
    '',
    ...table,
    '',
    '</details>',
    ''
  ]
}

export async function writeSummary(record: RunRecord): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(summaryMarkdown(record), true).write()
}

/** The artifact's own upload digest: of the zip the artifact service stores around the package. */
function digest(kept: Kept): string {
  return kept.kept && kept.digest ? `, upload sha256 \`${kept.digest}\`` : ''
}

/**
 * Escapes text from outside (Workato, inputs) for a Markdown table cell: no HTML, no layout, no
 * links. GFM turns bare URLs, www. names and e-mail addresses into links: anyone who can name a
 * recipe in the source workspace could put a phishing link into the release record, so those
 * are broken up with backslash escapes (they still read the same), and invisible format
 * characters (U+202E and the like) are dropped.
 */
export function esc(text: string): string {
  // secrets out first: escaping turns them into strings no mask matches
  return redact(text)
    .replace(/\p{Cf}/gu, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .replace(/([a-z][a-z0-9+.-]*):/gi, '$1\\:')
    .replace(/@/g, '\\@')
    .replace(/\b(www)\./gi, '$1\\.')
}
