/** The steps of each mode, in order: the one place that says what a mode does. */
import type { Config } from './inputs.js'
import type { RunRecord } from './record.js'
import { exportPackage } from './steps/export.js'
import { importAndVerify } from './steps/import.js'
import { checkGivenPackage } from './steps/package.js'
import { rollBackIfFailed } from './steps/rollback.js'
import { nothingToImport, snapshotAndPlan } from './steps/snapshot.js'

export async function runSteps(config: Config, record: RunRecord): Promise<void> {
  if (config.mode === 'export') {
    await exportPackage(config, record)
    return
  }
  if (config.mode === 'plan') {
    const pkg = await exportPackage(config, record)
    await snapshotAndPlan(config, config.snapshotManifestId, pkg, record)
    return
  }
  // promote exports the package; import mode starts from the zip it was given
  const pkg =
    config.mode === 'import'
      ? await checkGivenPackage(config, record)
      : await exportPackage(config, record)
  if (await nothingToImport(config, pkg, record)) return
  await importAndVerify(config, pkg, record)
  await rollBackIfFailed(config, record)
}
