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
import type { WorkatoClient } from '../api/client.js'
import type { Common, ExportConfig, PlanConfig, PromoteConfig } from '../inputs.js'
import { waitForJob } from '../jobs.js'
import { downloadPackage, startExport } from '../packages.js'
import type { PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'
import { listAssets } from './package.js'

export async function exportPackage(
  run: RunContext,
  config: PromoteConfig | ExportConfig | PlanConfig
): Promise<PackageRecord> {
  const record = run.record
  const file = config.packagePath
  const facts = await exportToFile(run, 'source', config.manifestId, file)
  record.package = { path: file, ...facts }
  record.package.inventory = await listAssets(file)
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    const spared = config.mode === 'export' ? '' : 'Nothing was imported.'
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
