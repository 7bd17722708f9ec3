/** Snapshot the target folder (an export of its manifest) and plan the import against it. */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { keep } from '../../shared/artifact.js'
import { changesNothing, planChanges, type Plan } from '../plan.js'
import { contentDigests } from '../../shared/zip.js'
import type { Endpoint, ImportingConfig, ManifestSource, PlanConfig } from '../inputs.js'
import { beforeImport, inventory, recipeCount } from '../inventory.js'
import type { FileRecord } from '../record.js'
import type { RunContext } from '../run-context.js'
import { exportFrom, reportLeftOut } from './export.js'

/** The modes that take a snapshot of the target folder: those that import, and plan. */
type SnapshottingConfig = (ImportingConfig | PlanConfig) & { target: Endpoint }

/**
 * The snapshot: a manifest made for folder-id (snapshot: true), which covers the folder as it is
 * now, or a given one, whose export is compared with the folder's assets (a stale manifest
 * leaves new assets out of the plan and the rollback).
 */
export async function snapshotAndPlan(
  run: RunContext,
  config: SnapshottingConfig,
  from: ManifestSource,
  pkg: FileRecord
): Promise<Plan> {
  const record = run.record
  // A folder of its own: no input can make the snapshot's path the package's.
  const folder = await fs.mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'snapshot-'))
  const file = path.join(folder, `${config.snapshotArtifactName}.zip`)
  const { facts, coverage } = await exportFrom(run, 'target', from, file, config.folderId)
  const snapshot = (record.snapshot ??= {})
  const assets = await inventory(file)
  snapshot.file = { path: file, ...facts, recipes: recipeCount(assets), assets: assets.length }
  await reportLeftOut(coverage, assets, 'snapshot: true')
  if (config.uploadArtifact) {
    record.stage = 'keep snapshot as artifact'
    snapshot.artifact = await keep(
      file,
      config.snapshotArtifactName,
      config.retentionDays,
      'Nothing was imported.'
    )
  }
  record.stage = 'plan'
  const plan = planChanges(
    await beforeImport(contentDigests(pkg.path)),
    await beforeImport(contentDigests(file))
  )
  snapshot.plan = plan
  core.info(
    `Plan: ${plan.added.length} added, ${plan.changed.length} changed, ${plan.unchanged.length} unchanged, ` +
      `${plan.onlyInTarget.length} only in the target`
  )
  return plan
}

/**
 * With a snapshot, plans first; true when the target already holds the package unchanged and
 * skip-unchanged says not to import it again.
 */
export async function nothingToImport(
  run: RunContext,
  config: ImportingConfig,
  pkg: FileRecord
): Promise<boolean> {
  if (!config.snapshot) return false
  const plan = await snapshotAndPlan(run, config, config.snapshot, pkg)
  if (!config.skipUnchanged || !changesNothing(plan)) return false
  core.info('The target already holds every asset of this package unchanged: nothing to import.')
  run.record.skippedUnchanged = true
  return true
}
