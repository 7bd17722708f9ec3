/**
 * What the headline of a run must carry besides its outcome: the warnings that make a green run
 * not done (a connection that will not work, a recipe left stopped, the same workspace on both
 * sides, tests that did not run), and under every headline that is not plainly green, what to do
 * next.
 */
import { plural } from '../shared/text.js'
import { folderOf } from './messages.js'
import { failedRecipes, isSuccess, type Outcome, type RunRecord } from './record.js'
import { driftWarning } from './summary-tree.js'

const NAMED = 5

/** Each a sentence for a `> ⚠️` line, most urgent first. */
export function headlineWarnings(record: RunRecord, outcome: Outcome): string[] {
  const warnings: string[] = []
  const statuses = record.connections?.statuses ?? []
  const notReady = statuses.filter(s => s.status !== 'authorized')
  if (notReady.length > 0) {
    warnings.push(
      `${statuses.length - notReady.length} of ${plural(statuses.length, 'connection')} the recipes use ` +
        `${statuses.length - notReady.length === 1 ? 'is' : 'are'} ready in the target: ${names(notReady.map(c => `${c.name} (${c.status})`))} ` +
        'will not work until someone connects them there.'
    )
  }
  const running = record.running
  if (running) {
    const started = new Set(running.started.map(r => r.id))
    const left = running.stoppedByImport.filter(r => !started.has(r.id))
    if (left.length > 0) {
      warnings.push(
        `${plural(left.length, 'recipe')} that ran before ${left.length === 1 ? 'is' : 'are'} stopped now: ${names(left.map(r => r.name))}.`
      )
    }
  }
  if (record.preflight?.sameWorkspace) warnings.push(record.preflight.sameWorkspace)
  const drift = isSuccess(outcome) ? driftWarning(record) : undefined
  if (drift) warnings.push(drift)
  const config = record.config
  if (config.runTests && !record.tests && (outcome === 'succeeded' || outcome === 'unchanged')) {
    warnings.push(
      record.skippedUnchanged
        ? 'run-tests is on, but nothing was imported, so no test ran.'
        : 'run-tests is on, but no test ran.'
    )
  }
  const leftBehind = [record.manifests?.export, record.manifests?.snapshot].filter(
    use => use?.made?.deleted && use.made.deleted !== 'deleted'
  )
  if (leftBehind.length > 0) {
    warnings.push(
      `${plural(leftBehind.length, 'export manifest')} this run made ${leftBehind.length === 1 ? 'is' : 'are'} left in Workato: ` +
        `${leftBehind.map(u => u?.id).join(', ')} (delete ${leftBehind.length === 1 ? 'it' : 'them'} there).`
    )
  }
  return warnings
}

/** The next thing a release engineer does, after an outcome that is not plainly green. */
export function nextStep(
  record: RunRecord,
  outcome: Outcome,
  warnings: string[]
): string | undefined {
  const config = record.config
  if (config.mode === 'deploy') return nextAfterDeploy(record, outcome, warnings)
  const folder = folderOf(config)
  const where = folder ? `folder ${folder} of the target workspace` : 'the target workspace'
  switch (outcome) {
    case 'succeeded':
    case 'unchanged':
      if (warnings.length === 0) return undefined
      if (record.connections?.statuses.some(s => s.status !== 'authorized')) {
        return `connect the connections named above in ${where}; recipes that use them do not run until then.`
      }
      return 'read the warnings above: the release is in, but not everything around it is as it was.'
    case 'rolled-back':
      return (
        `${where} holds the snapshot again (what the import added stays). Fix the release in the source ` +
        'and run again; the failing recipes are named below.'
      )
    case 'rollback-failed':
      return (
        `restore ${where} by hand: run mode: import with the snapshot artifact ${config.snapshotArtifactName} ` +
        '(download it, give its zip as package-path), then check the recipes named below.'
      )
    case 'timed-out':
      return (
        'look at the package named above in Workato: it may still be running. Once it has ended, run again' +
        (config.mode === 'import' || config.mode === 'promote'
          ? '; with a snapshot, a target that already holds the package is left alone.'
          : '.')
      )
    case 'cancelled':
      return 'check what the line above says may still be running in Workato before running again.'
    default:
      if (failedRecipes(record).length > 0) {
        const snapshot = 'snapshot' in config && config.snapshot
        return (
          `open the recipes named below in ${where}: fix them in the source and release again (fix forward), ` +
          `or import the previous release's package (mode: import with its artifact).` +
          (snapshot ? '' : ' With snapshot: true a failed import is rolled back by itself.')
        )
      }
      if (record.tests?.results.some(r => r.status !== 'succeeded')) {
        return 'open the failed tests named below in the target workspace’s test runs; fix the recipes and release again.'
      }
      if (!record.import)
        return 'fix what the error above names and run again: nothing was imported.'
      return `check ${where}: the error above says what Workato reported.`
  }
}

function nextAfterDeploy(
  record: RunRecord,
  outcome: Outcome,
  warnings: string[]
): string | undefined {
  const config = record.config
  if (config.mode !== 'deploy') return undefined
  const env = config.environmentType.toUpperCase()
  const deployment = record.deploy?.deployment?.id
  switch (outcome) {
    case 'succeeded':
      return warnings.length > 0
        ? `see to what the lines above name in ${env}; the deployment itself is done.`
        : undefined
    case 'rolled-back':
      return `${env} runs build ${record.rollback?.buildId ?? '?'} again. Fix the project in DEV and deploy again.`
    case 'rollback-failed':
      return `deploy a good build to ${env} by hand (mode: deploy with its build-id), then look at the project there.`
    case 'timed-out':
      return (
        `look at ${deployment ? `deployment ${deployment}` : 'the project’s builds and deployments'} in Workato. ` +
        'Running this workflow run again waits on it instead of deploying twice.'
      )
    case 'cancelled':
      return 'check what the line above says may still be running in Workato before running again.'
    default:
      return deployment
        ? `open deployment ${deployment} in Workato; fix the project in DEV and deploy again, or deploy a good build-id.`
        : 'fix what the error above names and run again: nothing was deployed.'
  }
}

function names(list: string[]): string {
  const shown = list.slice(0, NAMED)
  return list.length > NAMED
    ? `${shown.join(', ')} and ${list.length - NAMED} more`
    : shown.join(', ')
}
