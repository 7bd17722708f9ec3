/** The words of failures that span steps: the job's one error line, and what a cancel leaves. */
import { plural } from '../shared/text.js'
import type { Config } from './inputs.js'
import type { RunRecord } from './record.js'

/** The job's error line: every failure, then how the rollback ended, if there was one. */
export function failureText(record: RunRecord): string {
  const said = record.failures.join(' ') || 'The promotion failed.'
  const { rollback, config } = record
  const stay = addedStay(record)
  if (record.rollbackSkipped) return `${said} Not rolled back: ${record.rollbackSkipped}.${stay}`
  if (!rollback) return said
  if (!rollback.problem) {
    return `${said} Rolled back: import package ${rollback.packageId} restored the snapshot.${stay}`
  }
  return (
    `${said} ROLLBACK FAILED: ${rollback.problem}. Restore folder ${folderOf(config)} by hand from ` +
    `the artifact ${config.snapshotArtifactName}.`
  )
}

/** An import never deletes: what the failed one added is still there after a rollback. */
function addedStay(record: RunRecord): string {
  const added = record.snapshot?.plan?.added.length ?? 0
  if (added === 0) return ''
  return ` The ${plural(added, 'asset')} it added stay${added === 1 ? 's' : ''} (an import never deletes; listed in the job summary).`
}

/** What a cancelled run leaves behind, so someone can check it in Workato. */
export function cancelledDuring(record: RunRecord, signal: NodeJS.Signals): string {
  const { config, stage } = record
  const said = `Cancelled (${signal}) during "${stage}".`
  const folder = folderOf(config)
  switch (stage) {
    case 'rollback':
    case 'wait for rollback':
      return (
        `${said} The rollback import into folder ${folder} may still be running in Workato, after a ` +
        `failed import: check the target folder, and restore it from the ${config.snapshotArtifactName} artifact if needed.`
      )
    case 'snapshot':
    case 'wait for snapshot':
      return `${said} The snapshot export of ${snapshotOf(record)} may still be running in the target workspace. Nothing was imported.`
    case 'tests':
    case 'wait for tests':
      return (
        `${said} The import into folder ${folder} had completed; its recipes' test run may still be ` +
        'running in the target workspace (its steps that are not mocked call the real apps).'
      )
    case 'restart recipes': {
      const pkg = record.import ? ` (package ${record.import.packageId})` : ''
      return (
        `${said} The import into folder ${folder}${pkg} had ended; recipes it stopped were being started ` +
        'again and may be left stopped: check the running recipes of the target folder.'
      )
    }
    case 'import':
    case 'wait for import': {
      const pkg = record.import ? ` (package ${record.import.packageId})` : ''
      return (
        `${said} The import into folder ${folder}${pkg} may still be running in Workato: ` +
        'check the target folder before rerunning.'
      )
    }
  }
  const nothing = config.mode === 'export' ? '' : ' Nothing was imported.'
  if (stage === 'export') {
    return `${said} The export request may have reached Workato: check the source workspace's packages.${nothing}`
  }
  if (stage === 'wait for export') {
    return `${said} Export package ${record.export?.packageId} may still be running in Workato (source workspace).${nothing}`
  }
  return `${said}${nothing}`
}

export function folderOf(config: Config): string | undefined {
  return 'folderId' in config ? config.folderId : undefined
}

function snapshotOf(record: RunRecord): string {
  const used = record.manifests?.snapshot?.id
  const snapshot = 'snapshot' in record.config ? record.config.snapshot : undefined
  if (used) return `manifest ${used}`
  if (snapshot && 'folderId' in snapshot) return `folder ${snapshot.folderId}`
  return `manifest ${snapshot && 'manifestId' in snapshot ? snapshot.manifestId : '?'}`
}
