/**
 * After a failed import, imports the snapshot back into the folder with the same options, so a
 * half-failed import does not leave the target half-updated. The job fails either way; the
 * record says how the rollback ended.
 */
import * as core from '@actions/core'
import { plural } from '../../shared/text.js'
import type { ImportingConfig } from '../inputs.js'
import { waitForJob } from '../jobs.js'
import { startImportWhenFree } from '../packages.js'
import type { RunRecord } from '../record.js'
import { classifyRecipes } from '../results.js'
import type { RunContext } from '../run-context.js'

export async function rollBackIfFailed(run: RunContext, config: ImportingConfig): Promise<void> {
  const record = run.record
  const snapshot = record.snapshot?.file
  if (record.failures.length === 0 || !snapshot || !config.rollbackOnFailure) return
  if (snapshot.assets === 0) {
    // Importing an empty package restores nothing (an import never deletes) and Workato may refuse it.
    record.rollbackSkipped = `folder ${config.folderId} held nothing before this import (the snapshot is empty), so there is nothing to restore`
    core.warning(`The import failed; not rolled back: ${record.rollbackSkipped}.`)
    return
  }
  const target = run.client('target')
  record.stage = 'rollback'
  const what = record.tests?.results.some(r => r.status !== 'succeeded')
    ? 'The tests'
    : 'The import'
  core.warning(
    `${what} failed; importing the snapshot (sha256 ${snapshot.sha256}) back into folder ${config.folderId}.`
  )
  const rollback: NonNullable<RunRecord['rollback']> = { recipes: [] }
  record.rollback = rollback
  try {
    // Right after a failed import Workato may refuse another for a while: wait that out.
    const { job: started } = await startImportWhenFree(
      target,
      config.folderId,
      snapshot,
      config,
      run.wait
    )
    rollback.packageId = started.id
    record.stage = 'wait for rollback'
    const job = await waitForJob(target, started, 'import', run.wait)
    rollback.recipes = classifyRecipes(job.recipeStatus)
    const failed = rollback.recipes.filter(r => !r.ok).length
    const unreported = rollback.recipes.length === 0 && snapshot.recipes > 0
    if (job.state === 'completed' && failed === 0 && !unreported) return
    rollback.problem =
      job.state === 'failed'
        ? `the rollback import (package ${job.id}) failed: ${job.error ?? 'no reason given'}`
        : unreported
          ? `Workato reported no recipe results for the ${plural(snapshot.recipes, 'recipe')} of the rollback (package ${job.id})`
          : `${plural(failed, 'recipe')} did not import cleanly in the rollback (package ${job.id})`
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error)
    rollback.problem = `the rollback could not run: ${said.replace(/\.$/, '')}`
  }
}
