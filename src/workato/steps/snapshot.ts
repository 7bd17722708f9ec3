/** Snapshot the target folder (an export of its manifest) and plan the import against it. */
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { keep } from '../../shared/artifact.js'
import { ActionError } from '../../shared/errors.js'
import { oneLine } from '../../shared/text.js'
import { comparePackages, renderChanges, semanticDigest } from '../changes.js'
import { findDrift } from '../drift.js'
import type {
  Endpoint,
  ImportingConfig,
  ManifestSource,
  PackageDir,
  PlanConfig
} from '../inputs.js'
import { inventory, recipeCount } from '../inventory.js'
import { zipContents } from '../package-contents.js'
import { changesNothing, planChanges, type Plan } from '../plan.js'
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
  const ours = await zipContents(pkg.path)
  const theirs = await zipContents(file)
  // one comparison: "changed" in the plan, the changes and drift mean the same thing
  const ourDigests = digests(ours.contents)
  const theirDigests = digests(theirs.contents)
  const plan = planChanges(ourDigests, theirDigests)
  snapshot.plan = plan
  const where = config.folderId ? `folder ${config.folderId} of the target` : 'the target snapshot'
  const changes = comparePackages(theirs.contents, ours.contents)
  record.changes = {
    against: where,
    markdown: renderChanges(changes, { title: `What the import changes in ${where}` }),
    counts: changes.counts
  }
  const tree = 'tree' in config ? config.tree : undefined
  if (tree) {
    const names = new Map(assets.map(a => [a.path, a.name]))
    checkDrift(run, tree, theirDigests, ourDigests, file => names.get(file) ?? file)
  }
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

function digests(contents: Map<string, Buffer>): Map<string, string> {
  return new Map([...contents].map(([file, content]) => [file, semanticDigest(file, content)]))
}

/**
 * Drift, listed first in the summary: a warning, or (drift: fail) the end of the run before
 * anything is imported.
 */
function checkDrift(
  run: RunContext,
  tree: PackageDir,
  target: Map<string, string>,
  reviewed: Map<string, string>,
  nameOf: (path: string) => string
): void {
  if (tree.drift === 'off') return
  const record = run.record
  record.stage = 'drift'
  const drift = findDrift(target, reviewed, record.tree?.before.index?.previous, nameOf)
  record.drift = drift
  if (drift.length === 0) {
    core.info('Drift: the target folder holds nothing that package-dir does not')
    return
  }
  const named = drift
    .slice(0, 5)
    .map(d => `${oneLine(d.name, 80)} (${d.kind})`)
    .join(', ')
  const more = drift.length > 5 ? `, and ${drift.length - 5} more` : ''
  const said =
    `Drift: the target folder holds ${drift.length} assets package-dir does not: ${named}${more}. ` +
    'An import would overwrite them; bring them into the repository (mode unpack from the ' +
    'target) or confirm they may go.'
  if (tree.drift === 'fail') {
    throw new ActionError(`${said} drift is fail: nothing was imported.`)
  }
  core.warning(said)
}
