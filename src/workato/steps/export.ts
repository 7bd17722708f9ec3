/** Export, wait, download, keep: the package from the source, or the target's snapshot. */
import * as core from '@actions/core'
import { keep } from '../../shared/artifact.js'
import { ActionError, InputError } from '../../shared/errors.js'
import {
  formatBytes,
  overwriteProblem,
  writeAtomically,
  type FileFacts
} from '../../shared/package-file.js'
import { oneLine } from '../../shared/text.js'
import type { WorkatoClient } from '../api/client.js'
import type { Common, ManifestSource, Mode } from '../inputs.js'
import type { Asset } from '../inventory.js'
import { waitForJob } from '../jobs.js'
import {
  deleteNow,
  folderAssets,
  leftOut,
  leftOutWarning,
  makeManifest,
  type FolderAsset,
  type ManifestRole,
  type ManifestUse
} from '../manifests.js'
import { downloadPackage, startExport } from '../packages.js'
import type { PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'
import { listAssets } from './package.js'

export async function exportPackage(
  run: RunContext,
  config: Common & { mode: Mode; exportFrom: ManifestSource }
): Promise<PackageRecord> {
  const record = run.record
  const file = config.packagePath
  // the folder a given manifest exports, when Workato's view of it said (pre-flight)
  const folder = record.preflight?.source?.manifestFolder
  const { facts, coverage } = await exportFrom(run, 'source', config.exportFrom, file, folder)
  record.package = { path: file, ...facts }
  record.package.inventory = await listAssets(file)
  await reportLeftOut(coverage, record.package.inventory, 'source-folder-id')
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    const spared =
      config.mode === 'export' || config.mode === 'unpack' ? '' : 'Nothing was imported.'
    record.artifact = await keep(file, config.artifactName, config.retentionDays, spared)
  }
  return record.package
}

/** The package may be written at package-path: nothing that is not a package is replaced. */
export async function checkPackagePath(config: Common): Promise<void> {
  const file = config.packagePath
  const problem = await overwriteProblem(file)
  if (problem) {
    throw new InputError(
      'package-path',
      `${problem} (${file}); give the path of a new file such as dir/package.zip`
    )
  }
}

/**
 * Export `from` into `file`: a given manifest, or one made for the folder and deleted once the
 * export is downloaded or has failed. For a given manifest whose folder is known, the folder's
 * assets are read while Workato exports, for `reportLeftOut`.
 */
export async function exportFrom(
  run: RunContext,
  side: WorkatoClient['side'],
  from: ManifestSource,
  file: string,
  folderOfGiven?: string
): Promise<{ facts: FileFacts; coverage?: Coverage }> {
  const role: ManifestRole = side === 'source' ? 'export' : 'snapshot'
  const manifests = (run.record.manifests ??= {})
  if ('manifestId' in from) {
    const use: ManifestUse = { id: from.manifestId }
    manifests[role] = use
    const coverage = folderOfGiven
      ? { use, folderId: folderOfGiven, assets: readAhead(run.client(side), folderOfGiven) }
      : undefined
    return { facts: await exportToFile(run, side, use.id, file), coverage }
  }
  run.record.stage = side === 'source' ? 'make manifest' : 'make snapshot manifest'
  const use = await makeManifest(run, side, role, from.folderId)
  manifests[role] = use
  try {
    return { facts: await exportToFile(run, side, use.id, file) }
  } finally {
    await deleteNow(run, side, use)
  }
}

/** A given manifest, its folder, and that folder's assets as Workato lists them now. */
export interface Coverage {
  use: ManifestUse
  folderId: string
  assets: Promise<FolderAsset[] | { unread: string }>
}

function readAhead(client: WorkatoClient, folderId: string): Coverage['assets'] {
  return folderAssets(client, folderId).catch((error: unknown) => ({
    unread: oneLine(error instanceof Error ? error.message : String(error), 300)
  }))
}

/**
 * Warns when a given manifest's export leaves out assets its folder holds now: the asset a
 * release silently drops. Could not look: said in the log, never a failure.
 */
export async function reportLeftOut(
  coverage: Coverage | undefined,
  assets: Asset[],
  instead: string
): Promise<void> {
  if (!coverage) return
  const folder = await coverage.assets
  if ('unread' in folder) {
    core.info(
      `Could not compare export manifest ${coverage.use.id} with folder ${coverage.folderId}: ${folder.unread}`
    )
    return
  }
  const missing = leftOut(folder, assets)
  if (missing.length === 0) return
  coverage.use.leftOut = missing
  core.warning(leftOutWarning(coverage.use.id, coverage.folderId, missing, instead))
}

/** Export, wait and download one manifest into `file`. */
export async function exportToFile(
  run: RunContext,
  side: WorkatoClient['side'],
  manifestId: string,
  file: string
): Promise<FileFacts> {
  const { config, record } = run
  const client = run.client(side)
  const kind = client.side === 'source' ? 'export' : 'snapshot'
  record.stage = kind
  core.info(`Exporting manifest ${manifestId} from ${client.baseUrl} (${kind})`)
  const started = await startExport(client, manifestId)
  if (kind === 'export') record.export = { packageId: started.id }
  else record.snapshot = { ...record.snapshot, packageId: started.id }

  record.stage = `wait for ${kind}`
  core.info(`Waiting for ${kind} package ${started.id}`)
  const job = await waitForJob(client, started, 'export', run.wait)
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
