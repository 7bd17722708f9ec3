/** The words of failures that span steps: the job's one error line, and what a cancel leaves. */
import { plural } from '../shared/text.js'
import type { Config } from './inputs.js'
import type { RunRecord } from './record.js'

/** The job's error line: every failure, then how the rollback ended, if there was one. */
export function failureText(record: RunRecord): string {
  if (record.config.mode === 'deploy') return deployFailureText(record)
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

function deployFailureText(record: RunRecord): string {
  const said = record.failures.join(' ') || 'The deployment failed.'
  const { rollback, config } = record
  const env = config.mode === 'deploy' ? config.environmentType.toUpperCase() : '?'
  if (record.rollbackSkipped) return `${said} Not rolled back: ${record.rollbackSkipped}.`
  if (!rollback) return said
  if (!rollback.problem) {
    return `${said} Rolled back: build ${rollback.buildId ?? '?'} deployed to ${env} again (deployment ${rollback.deploymentId ?? '?'}).`
  }
  return (
    `${said} ROLLBACK FAILED: ${rollback.problem}. Deploy a good build to ${env} by hand in Workato ` +
    `(the project's deployments), or rerun mode deploy with build-id ${rollback.buildId ?? 'of the last good build'}.`
  )
}

/** What a cancel leaves in mode deploy, stage by stage. */
function deployCancelled(record: RunRecord, said: string): string {
  const { config, stage } = record
  const env = config.mode === 'deploy' ? config.environmentType.toUpperCase() : '?'
  const d = record.deploy
  switch (stage) {
    case 'build':
    case 'wait for build':
      return `${said} Build ${d?.build?.id ?? '(its id not yet known)'} of the project may still be running in DEV. Nothing was deployed.`
    case 'deploy':
      return (
        `${said} The deployment request may have reached Workato: check the project's deployments to ${env} ` +
        'before rerunning (a rerun of this workflow run looks for it and does not deploy twice).'
      )
    case 'wait for deployment':
      return (
        `${said} Deployment ${d?.deployment?.id ?? '?'} to ${env} may still be running in Workato: a rerun ` +
        'waits on it instead of deploying again.'
      )
    case 'redeploy':
    case 'wait for redeploy':
      return (
        `${said} After a failed deployment, the rollback deployment of build ${record.rollback?.buildId ?? '?'} ` +
        `to ${env} may still be running: check the project's deployments to ${env}.`
      )
    case 'restart recipes':
    case 'look at the environment':
      return `${said} Deployment ${d?.deployment?.id ?? '?'} to ${env} had ended (${d?.deployment?.state ?? '?'}); recipes it stopped may be left stopped: check ${env}.`
    default:
      return `${said} Nothing was deployed.`
  }
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
  if (config.mode === 'deploy') return deployCancelled(record, said)
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
  const nothing =
    config.mode === 'export' || config.mode === 'unpack' ? '' : ' Nothing was imported.'
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
