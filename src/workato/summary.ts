/** The Workato words of the report: outputs, one annotation per failed recipe, the job summary. */
import * as path from 'node:path'
import * as core from '@actions/core'
import { formatBytes } from '../shared/package-file.js'
import {
  ANNOTATIONS_PER_STEP,
  artifactRow,
  esc,
  link,
  runFacts,
  setOutputs
} from '../shared/report.js'
import { capitalize, oneLine, plural } from '../shared/text.js'
import { headlineWarnings, nextStep } from './headline.js'
import { changesMarkdown, driftMarkdown, treeRows } from './summary-tree.js'
import { failureText, folderOf } from './messages.js'
import { failedRecipes, isSuccess, outcomeOf, type Outcome, type RunRecord } from './record.js'
import { describeResult } from './results.js'
import {
  assetsMarkdown,
  connectionsMarkdown,
  preflightMarkdown,
  recipesMarkdown,
  rollbackMarkdown,
  runningMarkdown,
  testsMarkdown
} from './summary-sections.js'
import {
  deployHeading,
  deployNotes,
  deployRows,
  deployWarnings,
  environmentMarkdown,
  redeployMarkdown
} from './summary-deploy.js'

export function writeOutputs(record: RunRecord): void {
  const { package: pkg, artifact, import: imported, snapshot } = record
  setOutputs({
    'export-package-id': record.export?.packageId,
    'build-id': record.deploy?.build?.id,
    'deployment-id': record.deploy?.deployment?.id,
    'manifest-id': record.manifests?.export?.id,
    'snapshot-manifest-id': record.manifests?.snapshot?.id,
    'import-package-id': imported?.packageId,
    'package-path': pkg?.path,
    'package-sha256': pkg?.sha256,
    'package-size': pkg?.size,
    'artifact-id': artifact?.kept ? artifact.id : undefined,
    'artifact-digest': artifact?.kept ? artifact.digest : undefined,
    'sent-sha256': imported?.sentSha256,
    'recipe-results': imported?.recipes && JSON.stringify(imported.recipes),
    'failed-recipes': imported?.recipes && failedRecipes(record).length,
    'test-results': record.tests && JSON.stringify(record.tests.results),
    'failed-tests':
      record.tests && record.tests.results.filter(r => r.status !== 'succeeded').length,
    inventory: pkg?.inventory && JSON.stringify(pkg.inventory),
    changes: record.changes?.markdown,
    drift: record.drift && JSON.stringify(record.drift),
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
  const failed = failedRecipes(record)
  // past GitHub's cap the verdict's own annotation would be the one dropped
  const shown = failed.length > ANNOTATIONS_PER_STEP ? ANNOTATIONS_PER_STEP - 1 : failed.length
  for (const recipe of failed.slice(0, shown)) {
    const id = oneLine(recipe.id, 40)
    // by name where the target's lists named it: an id alone sends someone searching
    const name = record.recipeNames?.get(recipe.id)
    const who = name ? `Recipe "${oneLine(name, 100)}" (${id})` : `Recipe ${id}`
    core.error(
      `${who} did not import cleanly: import_result "${oneLine(recipe.import_result, 80)}": ${describeResult(recipe.import_result).meaning} ` +
        `Check it in folder ${folderOf(record.config)} of the target workspace.`,
      { title: `${who} did not import cleanly` }
    )
  }
  if (failed.length > shown) {
    core.error(
      `${failed.length - shown} more recipes did not import cleanly: the job summary names each, and ` +
        'the recipe-results output holds them all.',
      { title: `${failed.length - shown} more recipes did not import cleanly` }
    )
  }
  annotateTests(record, ANNOTATIONS_PER_STEP - Math.min(failed.length, ANNOTATIONS_PER_STEP))
}

/** One annotation per failed test, naming the recipe and the test case, within what is left. */
function annotateTests(record: RunRecord, room: number): void {
  const failed = (record.tests?.results ?? []).filter(r => r.status !== 'succeeded')
  if (failed.length === 0 || room <= 1) return
  const shown = failed.length > room - 1 ? room - 2 : failed.length
  for (const t of failed.slice(0, Math.max(0, shown))) {
    core.error(
      `Test "${t.test_case}" of recipe ${t.recipe} (${t.recipe_id}) did not succeed: status "${t.status}"` +
        `${t.job_id ? `, job ${t.job_id}` : ''}. Check it in the target workspace's test runs.`,
      { title: `Test ${t.test_case} failed` }
    )
  }
  if (failed.length > shown) {
    core.error(
      `${failed.length - shown} more tests did not succeed: the job summary names each, and the ` +
        'test-results output holds them all.',
      { title: `${failed.length - shown} more tests failed` }
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

/** The headline and the verdict: the summary when the whole one cannot be built. */
export function verdictMarkdown(record: RunRecord): string {
  const outcome = outcomeOf(record)
  const config = record.config
  const heading =
    config.mode === 'deploy'
      ? deployHeading(record, config, outcome)
      : config.mode === 'plan' && outcome === 'succeeded'
        ? '📋 Workato plan: what an import would change'
        : config.mode === 'unpack'
          ? UNPACK_HEADINGS[outcome]
          : HEADINGS[outcome]
  // a green headline over a warning looks done: it says it has some
  const warnings =
    config.mode === 'deploy'
      ? deployWarnings(record, config)
      : headlineWarnings(record, outcome).map(w => `> ⚠️ ${esc(w)}`)
  const warned = isSuccess(outcome) && warnings.length > 0 && heading.startsWith('✅')
  const shown = warned
    ? `${heading.replace(/^✅/, '⚠️')}, with ${plural(warnings.length, 'warning')}`
    : heading
  const lines: string[] = [`## ${shown}`, '']
  if (!isSuccess(outcome)) lines.push(`> **${esc(failureText(record))}**`, '')
  for (const w of warnings) lines.push(w, '')
  if (config.mode === 'deploy') for (const n of deployNotes(config)) lines.push(n, '')
  const next = nextStep(record, outcome, warnings)
  if (next) lines.push(`> **Next:** ${esc(capitalize(next))}`, '')
  return lines.join('\n')
}

const UNPACK_HEADINGS: Record<Outcome, string> = {
  ...HEADINGS,
  succeeded: '✅ Workato release unpacked into package-dir',
  failed: '❌ Workato unpack failed',
  'timed-out': '⏱️ Workato unpack timed out',
  cancelled: '🛑 Workato unpack cancelled'
}

export function summaryMarkdown(record: RunRecord, env: NodeJS.ProcessEnv = process.env): string {
  const lines: string[] = [verdictMarkdown(record)]
  lines.push(...[whereTo(record), runFacts(env)].filter(Boolean).map(l => `${l}  `), '')
  lines.push(...driftMarkdown(record))
  lines.push(...details(record), '')
  lines.push(...changesMarkdown(record))
  const named = recipeLink(record)
  if (record.import?.recipes) lines.push(...recipesMarkdown(record.import.recipes, named))
  if (record.tests) lines.push(...testsMarkdown(record.tests))
  const config = record.config
  if (config.mode === 'deploy') {
    lines.push(...redeployMarkdown(record, config), ...environmentMarkdown(record, config, named))
  } else if (record.rollback || record.rollbackSkipped)
    lines.push(...rollbackMarkdown(record, named))
  if (record.connections) lines.push(...connectionsMarkdown(record.connections))
  if (record.running) lines.push(...runningMarkdown(record.running))
  if (record.preflight) {
    const checked = config.mode === 'deploy' ? 'The DEV token and the project' : undefined
    lines.push(...preflightMarkdown(record.preflight, checked))
  }
  if (record.package?.inventory || record.snapshot?.plan) {
    lines.push(...assetsMarkdown(record.package?.inventory ?? [], record.snapshot?.plan))
  }
  lines.push(...hashesMarkdown(record))
  return lines.join('\n')
}

/** The target workspace (by name when pre-flight learned it) and the folder, linked. */
function whereTo(record: RunRecord): string {
  const { config } = record
  if (config.mode === 'deploy') {
    const project = record.deploy?.project
    const named = project ? ` "${esc(project.name)}"` : ''
    return `**Project**${named} from DEV to **${config.environmentType.toUpperCase()}**`
  }
  if (!('target' in config) || !config.target) return ''
  const name = record.preflight?.target?.workspace
  const workspace = name ? `**${esc(name)}**` : esc(config.target.baseUrl)
  const folder = folderOf(config)
  const folderText = folder
    ? `, folder ${link(`\`${folder}\``, `${config.target.baseUrl}/recipes?fid=${folder}`)}`
    : ''
  return `**Target** workspace ${workspace}${folderText}`
}

/** A recipe of the target, by name when its list named it, linked to its page there. */
function recipeLink(record: RunRecord): (id: string) => string {
  const base = 'target' in record.config ? (record.config.target?.baseUrl ?? '') : ''
  return id => {
    const name = record.recipeNames?.get(id)
    const text = name ? `${esc(name)} (${esc(id)})` : esc(id)
    return /^\d+$/.test(id) && base ? link(text, `${base}/recipes/${id}`) : text
  }
}

/** The manifests the exports used: given, or made by this run and deleted (or left, and why). */
function manifestRows(record: RunRecord): string[] {
  const rows: string[] = []
  const uses = [
    ['Export manifest', record.manifests?.export],
    ['Snapshot manifest', record.manifests?.snapshot]
  ] as const
  for (const [label, use] of uses) {
    if (!use) continue
    const made = use.made
    const how = !made
      ? 'given'
      : made.deleted === 'deleted'
        ? `made for folder \`${made.folderId}\` by this run, then deleted`
        : made.deleted
          ? `made for folder \`${made.folderId}\` by this run; **left in the workspace**: ${esc(made.deleted.left)}`
          : `made for folder \`${made.folderId}\` by this run; not deleted yet`
    rows.push(`| ${label} | \`${use.id}\`, ${how} |`)
    if (use.leftOut) {
      const names = use.leftOut.slice(0, 20).map(a => esc(`${a.name} (${a.type})`))
      const more = use.leftOut.length > 20 ? `, and ${use.leftOut.length - 20} more` : ''
      rows.push(
        `| ⚠️ Left out of manifest \`${use.id}\` | ${use.leftOut.length} assets its folder holds now: ${names.join(', ')}${more} |`
      )
    }
  }
  return rows
}

/** What ran where: modes, hosts, ids, the package and its artifact. */
function details(record: RunRecord): string[] {
  const { config, package: pkg, import: imported } = record
  const rows = ['| What | Value |', '|---|---|', `| Mode | \`${config.mode}\` |`]
  if (config.mode === 'deploy') rows.push(...deployRows(record, config))
  if ('exportFrom' in config) {
    const exported = record.export ? `, export package \`${record.export.packageId}\`` : ''
    const from = config.exportFrom
    const what =
      'manifestId' in from ? `manifest \`${from.manifestId}\`` : `folder \`${from.folderId}\``
    rows.push(`| Source | ${esc(config.source.baseUrl)}, ${what}${exported} |`)
  }
  if ('target' in config && config.target && config.mode !== 'deploy') {
    const folder = folderOf(config)
    const into = imported ? `, import package \`${imported.packageId}\`` : ''
    const where = folder ? `, folder \`${folder}\`${into}` : ''
    rows.push(`| Target | ${esc(config.target.baseUrl)}${where} |`)
  }
  rows.push(...manifestRows(record))
  rows.push(...treeRows(record))
  if (pkg) rows.push(`| Package | ${esc(path.basename(pkg.path))}, ${formatBytes(pkg.size)} |`)
  if (record.artifact) rows.push(artifactRow(config.artifactName, record.artifact))
  // a rollback that worked ran to its end: nothing stopped
  const outcome = outcomeOf(record)
  if (!isSuccess(outcome) && outcome !== 'rolled-back')
    rows.push(`| Stopped at | ${esc(record.stage)} |`)
  return rows
}

/** Every byte proven: hashes, exact sizes and artifact digests, collapsed. */
function hashesMarkdown(record: RunRecord): string[] {
  const { config, package: pkg, import: imported, snapshot } = record
  const rows: string[] = []
  if (pkg) rows.push(`| Package | \`${pkg.sha256}\` | ${pkg.size} bytes |`)
  if (imported?.sentSha256) {
    const same =
      imported.sentSha256 === pkg?.sha256
        ? 'the package, byte for byte'
        : 'DIFFERS from the package'
    rows.push(`| Sent to import (${same}) | \`${imported.sentSha256}\` | |`)
  }
  if (snapshot?.file) {
    rows.push(
      `| Target snapshot, package \`${snapshot.packageId}\` | \`${snapshot.file.sha256}\` | ${snapshot.file.size} bytes |`
    )
  }
  for (const [name, kept] of [
    [config.artifactName, record.artifact],
    [config.snapshotArtifactName, snapshot?.artifact]
  ] as const) {
    if (kept?.kept && kept.digest) {
      rows.push(`| Artifact ${esc(name)} (upload) | \`${kept.digest}\` | ${kept.size} bytes |`)
    }
  }
  if (rows.length === 0) return []
  return [
    '<details><summary>Hashes and sizes</summary>',
    '',
    '| What | sha256 | Size |',
    '|---|---|---|',
    ...rows,
    '',
    '</details>',
    ''
  ]
}
