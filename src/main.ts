import { promises as fs } from 'node:fs'
import * as core from '@actions/core'
import { keepAsArtifact } from './artifact.js'
import { Cancelled, whenCancelled } from './cancel.js'
import { ActionError, InputError, InputErrors } from './errors.js'
import { parseInputs, type Config } from './inputs.js'
import { countByType, inventory, type Asset } from './inventory.js'
import {
  formatBytes,
  hashFile,
  writeAtomically,
  zipProblem,
  type FileFacts
} from './package-file.js'
import {
  annotateRecipes,
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
  waitForJob,
  type PackageJob
} from './workato/packages.js'
import { classifyRecipes } from './workato/results.js'
import { clockFromEnv, type Clock } from './wait.js'

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
    const work = promote(config, record)
    work.catch(() => undefined) // after a cancel, how the abandoned work ends does not matter
    await Promise.race([work, cancelled])
    record.outcome = failedRecipes(record).length > 0 ? 'failed' : 'succeeded'
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

async function promote(config: Config, record: RunRecord): Promise<void> {
  const pkg =
    config.mode === 'import'
      ? await checkGivenPackage(config, record)
      : await exportPackage(config, record)
  if (config.mode !== 'export') await importPackage(config, record, pkg)
}

/** What a cancelled run leaves behind, so someone can check it in Workato. */
function inFlight(record: RunRecord, signal: NodeJS.Signals): string {
  const { config, stage } = record
  const said = `Cancelled (${signal}) during "${stage}".`
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

/** Export, wait, download, keep. */
async function exportPackage(config: Config, record: RunRecord): Promise<FileFacts> {
  const existing = await fs.stat(config.packagePath).catch(() => undefined)
  if (existing?.isDirectory()) {
    throw new InputError(
      'package-path',
      `is a directory (${config.packagePath}); give a file path such as dir/package.zip`
    )
  }
  const source = new WorkatoClient('source', config.source!.baseUrl, config.source!.token)
  record.stage = 'export'
  core.info(`Exporting manifest ${config.manifestId} from ${source.baseUrl}`)
  const started = await startExport(source, config.manifestId!)
  record.exportPackageId = started.id

  record.stage = 'wait for export'
  core.info(`Waiting for export package ${started.id}`)
  const job = await waitForJob(source, started, 'export', waitOptions(config))
  if (job.status === 'failed') {
    throw new ActionError(
      `Workato could not export manifest ${config.manifestId} (package ${job.id}): ${job.error ?? 'no reason given'}. ` +
        'Check the export manifest in the source workspace.'
    )
  }

  record.stage = 'download'
  const facts = await writeAtomically(config.packagePath, partial =>
    downloadPackage(source, job.id, partial)
  )
  record.packageSha256 = facts.sha256
  record.packageSize = facts.size
  record.inventory = await listAssets(config.packagePath)
  core.info(
    `Downloaded package ${job.id}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}, at ${config.packagePath}`
  )

  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    record.artifact = await keepAsArtifact(
      config.packagePath,
      config.artifactName,
      config.retentionDays
    )
    if (record.artifact.kept)
      core.info(`Kept as artifact "${config.artifactName}" (id ${record.artifact.id})`)
    else
      core.warning(
        `The package was not kept as an artifact: ${record.artifact.reason}. It is at ${config.packagePath}.`
      )
  }
  return facts
}

/** Import mode starts from a zip on disk: check it before anything is sent. */
async function checkGivenPackage(config: Config, record: RunRecord): Promise<FileFacts> {
  record.stage = 'check package'
  const stat = await fs.stat(config.packagePath).catch(() => undefined)
  if (!stat?.isFile()) throw new InputError('package-path', `names no file: ${config.packagePath}`)
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
  verify(job, record)
}

function verify(job: PackageJob, record: RunRecord): void {
  record.recipes = classifyRecipes(job.recipeStatus)
  const failed = failedRecipes(record).length
  if (job.status === 'failed') {
    throw new ActionError(
      `Workato reports that import package ${job.id} failed: ${job.error ?? 'no reason given'}. ` +
        'Some recipes may have been updated and left stopped: check the target folder.'
    )
  }
  core.info(
    `Import package ${job.id} completed: ${record.recipes.length} recipes, ${failed} failed`
  )
  if (failed > 0) {
    record.failure = `${failed} of ${record.recipes.length} recipes did not import cleanly into folder ${record.config.folderId}.`
  }
}

/** Annotations and the verdict first: a runner file that cannot be written must not hide them. */
async function report(record: RunRecord): Promise<void> {
  annotateRecipes(record)
  if (record.outcome !== 'succeeded') core.setFailed(record.failure ?? 'The promotion failed.')
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

/** Tokens are masked before anything can print them, also in the form a URL would carry. */
function maskTokens(): void {
  for (const name of ['source-token', 'target-token']) {
    const raw = process.env[`INPUT_${name.toUpperCase()}`] ?? ''
    for (const value of new Set([raw, raw.trim(), encodeURIComponent(raw.trim())])) {
      if (value.trim()) core.setSecret(value)
    }
  }
}
