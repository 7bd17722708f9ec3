import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { keepAsArtifact, type Kept } from './shared/artifact.js'
import { Cancelled, whenCancelled } from './shared/cancel.js'
import { ActionError, InputError, InputErrors } from './shared/errors.js'
import { redact, registerSecret } from './shared/secrets.js'
import { parseInputs, type Config } from './inputs.js'
import { countByType, inventory, recipeCount, type Asset } from './workato/inventory.js'
import { contentDigests } from './shared/zip.js'
import { changesNothing, planChanges, type Plan } from './shared/plan.js'
import {
  formatBytes,
  hashFile,
  overwriteProblem,
  writeAtomically,
  type FileFacts
} from './shared/package-file.js'
import { zipProblem } from './shared/zip.js'
import {
  annotateRecipes,
  isSuccess,
  failedRecipes,
  writeOutputs,
  writeSummary,
  type RunRecord
} from './report.js'
import { WorkatoClient } from './workato/client.js'
import {
  downloadPackage,
  startExport,
  startImport,
  startImportWhenFree,
  waitForJob,
  type PackageJob
} from './workato/packages.js'
import { classifyRecipes } from './workato/results.js'
import { clockFromEnv, type Clock } from './shared/wait.js'

/** The mission: export, wait, download, keep, import, wait, verify, report. */
export async function run(): Promise<void> {
  maskTokens()
  let config: Config
  try {
    config = parseInputs(name => core.getInput(name))
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error
    for (const e of error.errors) core.error(e.message)
    process.exitCode = 1
    return
  }

  const record: RunRecord = { config, stage: 'start' }
  const cancelled = whenCancelled()
  try {
    const work = steps(config, record)
    work.catch(() => undefined) // after a cancel, how the abandoned work ends does not matter
    await Promise.race([work, cancelled])
    record.outcome ??= record.failure ? 'failed' : 'succeeded'
  } catch (error) {
    if (error instanceof Cancelled) {
      record.outcome = 'cancelled'
      record.failure = inFlight(record, error.signal)
    } else {
      record.outcome = error instanceof ActionError ? error.outcome : 'failed'
      record.failure =
        error instanceof ActionError ? error.message : `Unexpected error: ${String(error)}`
      if (!(error instanceof ActionError))
        core.debug(error instanceof Error ? String(error.stack) : String(error))
    }
  }
  await report(record)
  // A cancelled run does not wait for requests still in flight.
  if (record.outcome === 'cancelled') process.exit(1)
}

/** The steps of the chosen mode: export (or check the given zip), plan, import, verify, roll back. */
async function steps(config: Config, record: RunRecord): Promise<void> {
  const pkg =
    config.mode === 'import'
      ? await checkGivenPackage(config, record)
      : await exportPackage(config, record)
  if (config.snapshotManifestId) {
    record.plan = await planAgainstSnapshot(config, record)
    if (config.mode === 'plan') return
    if (config.skipUnchanged && changesNothing(record.plan)) {
      core.info(
        'The target already holds every asset of this package unchanged: nothing to import.'
      )
      record.outcome = 'unchanged'
      return
    }
  }
  if (config.mode === 'export') return
  await importPackage(config, record, pkg)
  if (record.failure && record.snapshot && config.rollbackOnFailure) await rollBack(config, record)
}

/** Export, wait, download, keep. */
async function exportPackage(config: Config, record: RunRecord): Promise<FileFacts> {
  const problem = await overwriteProblem(config.packagePath)
  if (problem) {
    throw new InputError(
      'package-path',
      `${problem} (${config.packagePath}); give the path of a new file such as dir/package.zip`
    )
  }
  const source = new WorkatoClient('source', config.source!.baseUrl, config.source!.token)
  const facts = await exportToFile(source, config.manifestId!, config.packagePath, config, record)
  record.packageSha256 = facts.sha256
  record.packageSize = facts.size
  record.inventory = await listAssets(config.packagePath)
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    record.artifact = await keep(config.packagePath, config.artifactName, config)
  }
  return facts
}

/** Export, wait and download one manifest: the package, or the target's snapshot. */
async function exportToFile(
  client: WorkatoClient,
  manifestId: string,
  file: string,
  config: Config,
  record: RunRecord
): Promise<FileFacts> {
  const kind = client.side === 'source' ? 'export' : 'snapshot'
  record.stage = kind
  core.info(`Exporting manifest ${manifestId} from ${client.baseUrl} (${kind})`)
  const started = await startExport(client, manifestId)
  if (kind === 'export') record.exportPackageId = started.id
  else record.snapshotPackageId = started.id

  record.stage = `wait for ${kind}`
  core.info(`Waiting for ${kind} package ${started.id}`)
  const job = await waitForJob(client, started, 'export', waitOptions(config))
  if (job.state === 'failed') {
    throw new ActionError(
      `Workato could not export manifest ${manifestId} (package ${job.id}) from the ${client.side} ` +
        `workspace: ${job.error ?? 'no reason given'}. Check that export manifest in the ${client.side} workspace.`
    )
  }

  record.stage = kind === 'export' ? 'download' : 'download snapshot'
  const facts = await writeAtomically(file, partial =>
    downloadPackage(client, job.id, partial, config.maxPackageBytes)
  )
  core.info(
    `Downloaded package ${job.id}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}, at ${file}`
  )
  return facts
}

async function keep(file: string, name: string, config: Config): Promise<Kept> {
  const kept = await keepAsArtifact(file, name, config.retentionDays)
  if (kept.kept) core.info(`Kept as artifact "${name}" (id ${kept.id})`)
  else core.warning(`The package was not kept as an artifact: ${kept.reason}. It is at ${file}.`)
  return kept
}

/** Snapshot the target folder (an export of its manifest) and compare it with the package. */
async function planAgainstSnapshot(config: Config, record: RunRecord): Promise<Plan> {
  const target = new WorkatoClient('target', config.target!.baseUrl, config.target!.token)
  // A folder of its own: no input can make the snapshot's path the package's.
  const folder = await fs.mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'snapshot-'))
  const file = path.join(folder, `${config.snapshotArtifactName}.zip`)
  const facts = await exportToFile(target, config.snapshotManifestId!, file, config, record)
  record.snapshotSha256 = facts.sha256
  const recipes = recipeCount(await inventory(file))
  record.snapshot = { path: file, size: facts.size, sha256: facts.sha256, recipes }
  if (config.uploadArtifact) {
    record.stage = 'keep snapshot as artifact'
    record.snapshotArtifact = await keep(file, config.snapshotArtifactName, config)
  }
  record.stage = 'plan'
  const plan = planChanges(await contentDigests(config.packagePath), await contentDigests(file))
  core.info(
    `Plan: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.unchanged.length} unchanged, ` +
      `${plan.onlyInTarget.length} only in the target`
  )
  return plan
}

/** Import mode starts from a zip on disk: check it before anything is sent. */
async function checkGivenPackage(config: Config, record: RunRecord): Promise<FileFacts> {
  record.stage = 'check package'
  const stat = await fs.stat(config.packagePath).catch(() => undefined)
  if (!stat?.isFile()) throw new InputError('package-path', `names no file: ${config.packagePath}`)
  if (stat.size > config.maxPackageBytes) {
    throw new InputError(
      'package-path',
      `is ${formatBytes(stat.size)}, over max-package-mb (${formatBytes(config.maxPackageBytes)}); nothing was imported`
    )
  }
  const problem = await zipProblem(config.packagePath)
  if (problem) throw new InputError('package-path', `is not a valid zip: ${problem}`)
  const facts = await hashFile(config.packagePath)
  record.packageSha256 = facts.sha256
  record.packageSize = facts.size
  if (config.packageSha256 && facts.sha256 !== config.packageSha256) {
    throw new InputError(
      'package-sha256',
      `does not match the package: ${config.packagePath} has sha256 ${facts.sha256}, expected ${config.packageSha256}. Nothing was imported.`
    )
  }
  core.info(`Package ${config.packagePath}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}`)
  record.inventory = await listAssets(config.packagePath)
  return facts
}

/** What the package holds, read from its directory without extracting it. */
async function listAssets(file: string): Promise<Asset[]> {
  const assets = await inventory(file)
  const counts = countByType(assets).map(([type, n]) => `${n} ${type}`)
  core.info(`Contents: ${counts.join(', ') || 'no assets'}`)
  return assets
}

/** Import, wait, verify. */
async function importPackage(config: Config, record: RunRecord, pkg: FileFacts): Promise<void> {
  const target = new WorkatoClient('target', config.target!.baseUrl, config.target!.token)
  record.stage = 'import'
  core.info(
    `Importing ${formatBytes(pkg.size)} into folder ${config.folderId} of ${target.baseUrl}`
  )
  const { job: started, sent } = await startImport(
    target,
    config.folderId!,
    { path: config.packagePath, size: pkg.size },
    config
  )
  record.importPackageId = started.id
  record.sentSha256 = sent.sha256
  if (sent.sha256 !== pkg.sha256) {
    throw new ActionError(
      `The bytes sent to import (sha256 ${sent.sha256}) differ from the package (sha256 ${pkg.sha256}): ` +
        `${config.packagePath} changed during the run. Check import package ${started.id} in the target workspace.`
    )
  }

  record.stage = 'wait for import'
  core.info(`Waiting for import package ${started.id}`)
  const job = await waitForJob(target, started, 'import', waitOptions(config))

  record.stage = 'verify'
  verify(job, record, recipeCount(record.inventory ?? []))
}

/** Reads every recipe's result; a failed job or recipe is recorded, so a rollback can follow. */
function verify(job: PackageJob, record: RunRecord, recipesSent: number): void {
  record.recipes = classifyRecipes(job.recipeStatus)
  const failed = failedRecipes(record).length
  if (job.state === 'failed') {
    record.failure =
      `Workato reports that import package ${job.id} failed: ${job.error ?? 'no reason given'}. ` +
      'Some recipes may have been updated and left stopped: check the target folder.'
    return
  }
  if (record.recipes.length === 0 && recipesSent > 0) {
    record.failure =
      `Workato reported no recipe results for ${recipesSent} recipes (import package ${job.id}): ` +
      `whether they imported cleanly is unknown, so this is not a success. Check folder ${record.config.folderId} of the target workspace.`
    return
  }
  core.info(
    `Import package ${job.id} completed: ${record.recipes.length} recipes, ${failed} failed`
  )
  if (failed > 0) {
    record.failure = `${failed} of ${record.recipes.length} recipes did not import cleanly into folder ${record.config.folderId}.`
  }
}

/**
 * Imports the snapshot back into the folder with the same options, so a half-failed import does
 * not leave the target half-updated. The job fails either way; the outcome says how it ended.
 */
async function rollBack(config: Config, record: RunRecord): Promise<void> {
  const target = new WorkatoClient('target', config.target!.baseUrl, config.target!.token)
  const snapshot = record.snapshot!
  record.stage = 'rollback'
  core.warning(
    `The import failed; importing the snapshot (sha256 ${snapshot.sha256}) back into folder ${config.folderId}.`
  )
  const rollback: RunRecord['rollback'] = { recipes: [] }
  record.rollback = rollback
  try {
    // Right after a failed import Workato may refuse another for a while: wait that out.
    const { job: started } = await startImportWhenFree(
      target,
      config.folderId!,
      snapshot,
      config,
      waitOptions(config)
    )
    rollback.packageId = started.id
    record.stage = 'wait for rollback'
    const job = await waitForJob(target, started, 'import', waitOptions(config))
    rollback.recipes = classifyRecipes(job.recipeStatus)
    const failed = rollback.recipes.filter(r => !r.ok).length
    const unreported = rollback.recipes.length === 0 && snapshot.recipes > 0
    if (job.state === 'completed' && failed === 0 && !unreported) {
      record.outcome = 'rolled-back'
      record.failure = `${record.failure} Rolled back: import package ${started.id} restored the snapshot.`
      return
    }
    rollback.problem =
      job.state === 'failed'
        ? `the rollback import (package ${job.id}) failed: ${job.error ?? 'no reason given'}`
        : unreported
          ? `Workato reported no recipe results for the ${snapshot.recipes} recipes of the rollback (package ${job.id})`
          : `${failed} recipes did not import cleanly in the rollback (package ${job.id})`
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error)
    rollback.problem = `the rollback could not run: ${said.replace(/\.$/, '')}`
  }
  record.outcome = 'rollback-failed'
  record.failure = `${record.failure} ROLLBACK FAILED: ${rollback.problem}. Folder ${config.folderId} may hold a half-imported package: restore it by hand from the artifact ${config.snapshotArtifactName}.`
}

/** What a cancelled run leaves behind, so someone can check it in Workato. */
function inFlight(record: RunRecord, signal: NodeJS.Signals): string {
  const { config, stage } = record
  const said = `Cancelled (${signal}) during "${stage}".`
  if (stage === 'rollback' || stage === 'wait for rollback') {
    return (
      `${said} The rollback import into folder ${config.folderId} may still be running in Workato, ` +
      `after a failed import: check the target folder, and restore it from the ${config.snapshotArtifactName} artifact if needed.`
    )
  }
  if (stage === 'snapshot' || stage === 'wait for snapshot') {
    return `${said} The snapshot export of manifest ${config.snapshotManifestId} may still be running in the target workspace. Nothing was imported.`
  }
  if (stage === 'import' || stage === 'wait for import') {
    const pkg = record.importPackageId ? ` (package ${record.importPackageId})` : ''
    return (
      `${said} The import into folder ${config.folderId}${pkg} may still be running in Workato: ` +
      'check the target folder before rerunning.'
    )
  }
  const nothing = config.mode === 'export' ? '' : ' Nothing was imported.'
  if (stage === 'export') {
    return `${said} The export request may have reached Workato: check the source workspace's packages.${nothing}`
  }
  if (stage === 'wait for export') {
    return `${said} Export package ${record.exportPackageId} may still be running in Workato (source workspace).${nothing}`
  }
  return `${said}${nothing}`
}

/** Annotations and the verdict first: a runner file that cannot be written must not hide them. */
async function report(record: RunRecord): Promise<void> {
  annotateRecipes(record)
  if (!isSuccess(record.outcome)) core.setFailed(redact(record.failure ?? 'The promotion failed.'))
  await writeSummary(record).catch(error =>
    core.warning(`Could not write the job summary: ${String(error)}`)
  )
  writeOutputs(record)
}

function waitOptions(config: Config): { maxIntervalMs: number; timeoutMs: number; clock: Clock } {
  return {
    clock: clockFromEnv(),
    maxIntervalMs: config.pollIntervalSeconds * 1000,
    timeoutMs: config.waitTimeoutSeconds * 1000
  }
}

/** Tokens are masked before anything can print them, in every form text could carry them. */
function maskTokens(): void {
  for (const name of ['source-token', 'target-token']) {
    registerSecret(process.env[`INPUT_${name.toUpperCase()}`] ?? '')
  }
}
