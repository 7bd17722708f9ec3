/**
 * Mode deploy's deployment: never twice for one build or one workflow run (an earlier
 * deployment is found first, and a pending one waited on), then deployed and waited on; a failed
 * deployment is Workato's words and, with rollback-on-failure, the build of the last good
 * deployment deployed again.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import type { DeployConfig } from '../inputs.js'
import { attemptOf, runIdOf } from '../manifests.js'
import {
  getBuild,
  getDeployment,
  listDeployments,
  startDeployment,
  waitUntilSettled,
  type Build,
  type Deployment,
  type Project
} from '../projects.js'
import type { RunContext } from '../run-context.js'
import { releaseDescription } from './build.js'
import { environmentName } from './environment.js'

/** How far back a re-run looks for the deployment an earlier attempt made: GitHub's re-run window. */
const RERUN_WINDOW_MS = 30 * 24 * 3600 * 1000

/**
 * An earlier deployment that this run must not repeat: of the given build (build-id), or made
 * by an earlier attempt of this workflow run. It counts only while it is what the environment
 * runs: a later deployment of another build means this one is deployed again on purpose.
 */
export async function earlierDeployment(
  run: RunContext,
  config: DeployConfig,
  project: Project,
  build: Build | undefined,
  env: NodeJS.ProcessEnv = process.env
): Promise<Deployment | undefined> {
  const runId = runIdOf(env)
  const ours = build
    ? (d: Deployment) => d.buildId === build.id
    : runId && attemptOf(env) > 1
      ? (d: Deployment) => isThisRun(d, runId, env)
      : undefined
  if (!ours) return undefined
  run.record.stage = 'look for earlier deployments'
  const from = build?.createdAt ?? new Date(run.clock.now() - RERUN_WINDOW_MS).toISOString()
  const list = await listDeployments(run.client('source'), {
    projectId: project.id,
    environment: config.environmentType,
    from
  }).catch((error: unknown) => {
    const said = error instanceof Error ? error.message : String(error)
    throw new ActionError(
      `${said.replace(/\.$/, '')}. Nothing was deployed: without that list the action cannot tell whether ` +
        `this ${build ? `build` : 'run'} was deployed already, and a deployment is not sent twice.`
    )
  })
  const newestSuccess = list.find(d => d.phase === 'success')
  const found = list.find(d => ours(d) && d.phase !== 'failed')
  if (!found) return undefined
  if (found.phase === 'success' && newestSuccess && newestSuccess.id !== found.id) {
    core.info(
      `Deployment ${found.id} of build ${found.buildId ?? '?'} to ${environmentName(config)} was replaced by ` +
        `deployment ${newestSuccess.id} (build ${newestSuccess.buildId ?? '?'}): deploying it again.`
    )
    return undefined
  }
  return found
}

/** A deployment this action made in this workflow run, any attempt: its description says so. */
function isThisRun(d: Deployment, runId: string, env: NodeJS.ProcessEnv): boolean {
  const text = d.description ?? ''
  const repo = env.GITHUB_REPOSITORY ?? ''
  return (
    text.startsWith('workato-promote ') &&
    text.includes(` run ${runId} attempt `) &&
    (!repo || text.startsWith(`workato-promote ${repo} `))
  )
}

/** The build an earlier attempt deployed, for the artifact and the outputs. */
export async function buildOf(run: RunContext, deployment: Deployment): Promise<Build> {
  if (!deployment.buildId) {
    throw new ActionError(
      `Workato's deployment ${deployment.id} names no build; refusing to guess what was deployed.`
    )
  }
  return getBuild(run.client('source'), deployment.buildId)
}

/** The newest successful deployment before this run's: what a rollback deploys again. */
export async function previousSuccess(
  run: RunContext,
  config: DeployConfig,
  project: Project
): Promise<void> {
  if (!config.rollbackOnFailure) return
  const list = await listDeployments(run.client('source'), {
    projectId: project.id,
    environment: config.environmentType,
    state: 'success'
  }).catch((error: unknown) => {
    const said = error instanceof Error ? error.message : String(error)
    throw new ActionError(
      `${said.replace(/\.$/, '')}. Nothing was deployed: rollback-on-failure needs the last successful ` +
        `deployment to ${environmentName(config)}, to deploy its build again if this one fails.`
    )
  })
  const previous = list.find(d => d.phase === 'success' && d.buildId)
  if (previous) (run.record.deploy ??= {}).previous = previous
}

/** Waits on a deployment found pending (an earlier attempt's): the run's deployment is that one. */
export async function waitOnEarlier(
  run: RunContext,
  config: DeployConfig,
  found: Deployment
): Promise<void> {
  const deploy = (run.record.deploy ??= {})
  if (found.phase === 'success') {
    deploy.deployment = { ...found, earlier: 'already deployed' }
    core.info(
      `Build ${found.buildId ?? '?'} is already deployed to ${environmentName(config)} (deployment ${found.id}, ` +
        `${found.createdAt ?? 'time unknown'}): nothing deployed again.`
    )
    return
  }
  core.info(
    `Deployment ${found.id} of build ${found.buildId ?? '?'} to ${environmentName(config)} is "${found.state}": ` +
      'waiting on it instead of deploying again.'
  )
  deploy.deployment = { ...found, earlier: 'waited on' }
  await settleDeployment(run, config, found, 'wait for deployment')
}

/** Deploys the build and waits; a failed deployment is recorded (for the rollback), not thrown. */
export async function deploy(run: RunContext, config: DeployConfig, build: Build): Promise<void> {
  const record = run.record
  const env = environmentName(config)
  record.stage = 'deploy'
  core.info(`Deploying build ${build.id} to ${env}`)
  const started = await startDeployment(
    run.client('source'),
    build.id,
    config.environmentType,
    releaseDescription(`deploy build ${build.id} to ${env}`)
  )
  ;(record.deploy ??= {}).deployment = started
  await settleDeployment(run, config, started, 'wait for deployment')
}

async function settleDeployment(
  run: RunContext,
  config: DeployConfig,
  started: Deployment,
  stage: 'wait for deployment'
): Promise<void> {
  const record = run.record
  const deploy = (record.deploy ??= {})
  record.stage = stage
  const done = await waitUntilSettled(
    deadline => getDeployment(run.client('source'), started.id, deadline),
    started,
    {
      what: `deployment ${started.id} to ${environmentName(config)}`,
      where: `the project's deployments to ${environmentName(config)}`
    },
    run.wait
  )
  deploy.deployment = { ...done, earlier: deploy.deployment?.earlier }
  core.info(`Deployment ${done.id} to ${environmentName(config)}: ${done.state}`)
  if (done.phase === 'failed') {
    record.failures.push(
      `Workato could not deploy build ${done.buildId ?? '?'} to ${environmentName(config)} (deployment ${done.id} is failed): ` +
        `${done.error ? `"${done.error}"` : 'Workato gives no reason in its answer; open the deployment in Workato'}.`
    )
  }
}

/**
 * With rollback-on-failure, a failed deployment is followed by one of the build the environment
 * ran before (the newest successful deployment). The job fails either way.
 */
export async function redeployIfFailed(run: RunContext, config: DeployConfig): Promise<void> {
  const record = run.record
  const deploy = record.deploy
  if (
    record.failures.length === 0 ||
    !config.rollbackOnFailure ||
    deploy?.deployment?.phase !== 'failed'
  )
    return
  const env = environmentName(config)
  const previous = deploy.previous
  const current = deploy.build?.id
  if (!previous?.buildId || previous.buildId === current) {
    record.rollbackSkipped = previous?.buildId
      ? `the last successful deployment to ${env} is of this very build`
      : `no earlier successful deployment of the project to ${env} was found to go back to`
    core.warning(`The deployment failed; not rolled back: ${record.rollbackSkipped}.`)
    return
  }
  record.stage = 'redeploy'
  core.warning(
    `The deployment failed; deploying build ${previous.buildId} again (deployment ${previous.id}, the last one that succeeded in ${env}).`
  )
  const rollback: NonNullable<typeof record.rollback> = { recipes: [], buildId: previous.buildId }
  record.rollback = rollback
  try {
    const started = await startDeployment(
      run.client('source'),
      previous.buildId,
      config.environmentType,
      releaseDescription(`roll back ${env} to build ${previous.buildId}`)
    )
    rollback.deploymentId = started.id
    record.stage = 'wait for redeploy'
    const done = await waitUntilSettled(
      deadline => getDeployment(run.client('source'), started.id, deadline),
      started,
      {
        what: `the rollback deployment ${started.id}`,
        where: `the project's deployments to ${env}`
      },
      run.wait
    )
    if (done.phase !== 'success') {
      rollback.problem = `the rollback deployment ${done.id} of build ${previous.buildId} is ${done.state}${done.error ? `: "${done.error}"` : ''}`
    }
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error)
    rollback.problem = `the rollback could not run: ${said.replace(/\.$/, '')}`
  }
}
