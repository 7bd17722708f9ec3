/** The steps of each mode, in order: the one place that says what a mode does. */
import type { Config, ImportConfig, PromoteConfig } from './inputs.js'
import type { PackageRecord, RunRecord } from './record.js'
import { checkConnections } from './steps/connections.js'
import { checkPackagePath, exportPackage } from './steps/export.js'
import { importAndVerify } from './steps/import.js'
import { checkGivenPackage } from './steps/package.js'
import { preflight } from './steps/preflight.js'
import { rollBackIfFailed } from './steps/rollback.js'
import { keepRunning, recipesBefore } from './steps/running.js'
import { nothingToImport, snapshotAndPlan } from './steps/snapshot.js'

export async function runSteps(config: Config, record: RunRecord): Promise<void> {
  // What the runner can check by itself comes first: a bad file costs no request.
  if (config.mode === 'import') {
    const pkg = await checkGivenPackage(config, record)
    await preflight(config, record)
    return importSafely(config, pkg, record)
  }
  await checkPackagePath(config)
  await preflight(config, record)
  const pkg = await exportPackage(config, record)
  if (config.mode === 'plan') await snapshotAndPlan(config, config.snapshotManifestId, pkg, record)
  if (config.mode === 'promote') await importSafely(config, pkg, record)
}

/**
 * Connections first; with a snapshot: plan, skip what is unchanged, roll back a failed import;
 * then recipes the import stopped are started again.
 */
async function importSafely(
  config: PromoteConfig | ImportConfig,
  pkg: PackageRecord,
  record: RunRecord
): Promise<void> {
  await checkConnections(config, pkg, record)
  if (await nothingToImport(config, pkg, record)) return
  const before = await recipesBefore(config, record)
  await importAndVerify(config, pkg, record)
  await rollBackIfFailed(config, record)
  await keepRunning(config, record, before)
}
