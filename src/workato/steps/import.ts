/** Import, wait, verify: every recipe's result is read; failures are recorded for a rollback. */
import * as core from '@actions/core'
import { plural } from '../../shared/text.js'
import { ActionError } from '../../shared/errors.js'
import { formatBytes } from '../../shared/package-file.js'
import type { ImportingConfig } from '../inputs.js'
import { recipeCount } from '../inventory.js'
import { waitForJob, type PackageJob } from '../jobs.js'
import { startImport } from '../packages.js'
import { failedRecipes, type PackageRecord, type RunRecord } from '../record.js'
import { classifyRecipes } from '../results.js'
import type { RunContext } from '../run-context.js'

export async function importAndVerify(
  run: RunContext,
  config: ImportingConfig,
  pkg: PackageRecord
): Promise<void> {
  const record = run.record
  const target = run.client('target')
  record.stage = 'import'
  core.info(
    `Importing ${formatBytes(pkg.size)} into folder ${config.folderId} of ${target.baseUrl}`
  )
  const { job: started, sent } = await startImport(target, config.folderId, pkg, config)
  record.import = { packageId: started.id, sentSha256: sent.sha256 }
  if (sent.sha256 !== pkg.sha256) {
    throw new ActionError(
      `The bytes sent to import (sha256 ${sent.sha256}) differ from the package (sha256 ${pkg.sha256}): ` +
        `${pkg.path} changed during the run. Check import package ${started.id} in the target workspace.`
    )
  }

  record.stage = 'wait for import'
  core.info(`Waiting for import package ${started.id}`)
  const job = await waitForJob(target, started, 'import', run.wait)

  record.stage = 'verify'
  verify(job, config.folderId, recipeCount(pkg.inventory ?? []), record)
}

function verify(job: PackageJob, folderId: string, recipesSent: number, record: RunRecord): void {
  const recipes = classifyRecipes(job.recipeStatus)
  record.import = { packageId: job.id, ...record.import, recipes }
  const failed = failedRecipes(record).length
  if (job.state === 'failed') {
    record.failures.push(
      `Workato reports that import package ${job.id} failed: ${job.error ?? 'no reason given'}. ` +
        'Some recipes may have been updated and left stopped: check the target folder.'
    )
    return
  }
  if (recipes.length === 0 && recipesSent > 0) {
    record.failures.push(
      `Workato reported no recipe results for ${plural(recipesSent, 'recipe')} (import package ${job.id}): ` +
        `whether they imported cleanly is unknown, so this is not a success. Check folder ${folderId} of the target workspace.`
    )
    return
  }
  core.info(
    `Import package ${job.id} completed: ${plural(recipes.length, 'recipe')}, ${failed} failed`
  )
  if (failed > 0) {
    record.failures.push(
      `${failed} of ${plural(recipes.length, 'recipe')} did not import cleanly into folder ${folderId}.`
    )
  }
}
