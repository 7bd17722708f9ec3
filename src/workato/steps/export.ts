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
import type { WorkatoClient } from '../client.js'
import type { Common, ExportConfig, PlanConfig, PromoteConfig } from '../inputs.js'
import { waitForJob } from '../jobs.js'
import { downloadPackage, startExport } from '../packages.js'
import type { PackageRecord, RunRecord } from '../record.js'
import { clientFor, waitOptions } from '../session.js'
import { listAssets } from './package.js'

export async function exportPackage(
  config: PromoteConfig | ExportConfig | PlanConfig,
  record: RunRecord
): Promise<PackageRecord> {
  const file = config.packagePath
  const source = clientFor('source', config.source)
  const facts = await exportToFile(source, config.manifestId, file, config, record)
  record.package = { path: file, ...facts }
  record.package.inventory = await listAssets(file)
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    record.artifact = await keep(file, config.artifactName, config.retentionDays)
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

/** Export, wait and download one manifest into `file`. */
export async function exportToFile(
  client: WorkatoClient,
  manifestId: string,
  file: string,
  config: Common,
  record: RunRecord
): Promise<FileFacts> {
  const kind = client.side === 'source' ? 'export' : 'snapshot'
  record.stage = kind
  core.info(`Exporting manifest ${manifestId} from ${client.baseUrl} (${kind})`)
  const started = await startExport(client, manifestId)
  if (kind === 'export') record.export = { packageId: started.id }
  else record.snapshot = { ...record.snapshot, packageId: started.id }

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
