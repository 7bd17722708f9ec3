/**
 * Workato Environments' Projects API (../shared/workato-api.md, "Environments: Projects builds
 * and deployments"): projects, their builds, and deployments of a build to TEST or PROD, all
 * called with the DEV token; the TEST or PROD token only lists what is there.
 *
 * Every value an answer names is checked before it reaches a path, a query, a log line or an
 * output: ids are positive integers, states and names are one short line, timestamps are
 * ISO 8601, and a build's download_url is kept for the download alone, never shown.
 */
import * as core from '@actions/core'
import { ActionError, InputError } from '../shared/errors.js'
import { capitalize, oneLine } from '../shared/text.js'
import { pollUntilDone, WaitTimeout, type Deadline } from '../shared/wait.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'
import type { EnvironmentType, ProjectRef } from './config.js'
import { WorkatoErrorAnswer, type Subject } from './errors.js'
import { idOf, listAll, type Row } from './folders.js'
import type { WaitOptions } from './run-context.js'

export interface Project {
  id: string
  name: string
  folderId?: string
}

/**
 * Where a build or a deployment stands. Workato documents `pending`, `success` and `failed`; the
 * review beta adds `pending_review`. Anything but `success` and `failed` is waited on, and only
 * `success` ever counts as done well.
 */
export type Phase = 'running' | 'success' | 'failed' | 'unknown'

const PHASES: Readonly<Record<string, Phase>> = {
  pending: 'running',
  success: 'success',
  failed: 'failed'
}

export function phaseOf(state: string): Phase {
  return (Object.hasOwn(PHASES, state) ? PHASES[state] : undefined) ?? 'unknown'
}

interface Stateful {
  id: string
  /** Workato's word, on one short line. */
  state: string
  phase: Phase
  projectId?: string
  createdAt?: string
  by?: string
  description?: string
  /** Why it failed, when Workato says (the docs show no such field: read where it may be). */
  error?: string
}

export interface Build extends Stateful {
  /** Where the build's zip is: a credential in its query string, so never logged. */
  downloadUrl?: string
}

export interface Deployment extends Stateful {
  buildId?: string
  environmentType?: string
}

/** The project as Workato takes it in a path: its id, or f<folder id>. */
export function projectPath(ref: ProjectRef): string {
  return 'projectId' in ref ? ref.projectId : `f${ref.folderId}`
}

export function describeRef(ref: ProjectRef): string {
  return 'projectId' in ref ? `project ${ref.projectId}` : `the project of folder ${ref.folderId}`
}

/** Workato's answer where the workspace has no Environments. */
export function isNotProvisioned(error: unknown): boolean {
  return (
    error instanceof WorkatoErrorAnswer &&
    error.status === 400 &&
    /environments?\s+(are\s+|is\s+)?not\s+provisioned/i.test(error.said ?? '')
  )
}

/** "400 Environments not provisioned": this is not a workspace for mode deploy. */
export function notProvisionedError(side: 'source' | 'target'): InputError {
  return new InputError(
    'mode',
    `is deploy, but the ${side} workspace has no Workato Environments (Workato answered "400 ` +
      'Environments not provisioned"): projects are built and deployed only in a workspace with ' +
      'Environments. Use mode: promote to move a package between workspaces. Nothing was built or deployed.'
  )
}

/** Every project the token's environment holds (paged, 100 a page). */
export async function listProjects(client: WorkatoClient): Promise<Project[]> {
  const env = client.side === 'source' ? 'DEV' : 'target'
  const found = await listAll(
    client,
    page =>
      client
        .getList(routes.projects(page), {
          call: `the list of projects (${env} environment)`,
          notFound: `Workato has no project list at ${client.baseUrl}`,
          check: `Check ${client.side}-token: it must be an API client of the ${env} environment.`
        })
        .catch((error: unknown) => {
          if (isNotProvisioned(error)) throw notProvisionedError(client.side)
          throw error
        }),
    `The list of projects (${env} environment)`
  )
  return found.flatMap(row => {
    const id = idOf(row.id)
    if (!id) return []
    const name = typeof row.name === 'string' && row.name ? oneLine(row.name, 200) : `Project ${id}`
    return [{ id, name, folderId: idOf(row.folder_id) }]
  })
}

export function findProject(projects: Project[], ref: ProjectRef): Project | undefined {
  return 'projectId' in ref
    ? projects.find(p => p.id === ref.projectId)
    : projects.find(p => p.folderId === ref.folderId)
}

/** Builds the project in DEV: a write, never sent twice unless Workato proves it refused it. */
export async function startBuild(
  client: WorkatoClient,
  ref: ProjectRef,
  body: { description: string; includeTestCases: boolean }
): Promise<Build> {
  const what = describeRef(ref)
  const answer = await client.postObject(
    routes.buildProject(projectPath(ref)),
    { description: body.description, include_test_cases: body.includeTestCases },
    {
      call: `the build of ${what}`,
      notFound: `${capitalize(what)} was not found in the DEV environment; check ${'projectId' in ref ? 'project-id' : 'project-folder-id'} and source-token`,
      leftBehind: `A build of ${what} may have been made: look at the project's builds in Workato before rerunning.`
    }
  )
  return readBuild(answer, `the build of ${what}`)
}

export async function getBuild(
  client: WorkatoClient,
  id: string,
  deadline?: Deadline
): Promise<Build> {
  const call = `the look-up of build ${id}`
  const subject: Subject = {
    call,
    notFound: `Build ${id} was not found in the DEV environment; check build-id and source-token`
  }
  const build = readBuild(await client.getJson(routes.build(id), subject, deadline), call)
  if (build.id !== id) {
    throw new ActionError(`Workato answered ${call} with build ${build.id}; refusing to go on.`)
  }
  return build
}

/** Deploys a build: a write, never sent twice unless Workato proves it refused it. */
export async function startDeployment(
  client: WorkatoClient,
  buildId: string,
  environment: EnvironmentType,
  description: string
): Promise<Deployment> {
  const call = `the deployment of build ${buildId} to ${environment.toUpperCase()}`
  const answer = await client.postObject(
    routes.deployBuild(buildId, environment),
    { description },
    {
      call,
      notFound: `Build ${buildId} or environment type "${environment}" was not found in the workspace; check build-id and environment-type`,
      leftBehind: `A deployment of build ${buildId} may have started: look at the project's deployments to ${environment.toUpperCase()} in Workato before rerunning (a rerun looks too).`
    }
  )
  return readDeployment(answer, call)
}

export async function getDeployment(
  client: WorkatoClient,
  id: string,
  deadline?: Deadline
): Promise<Deployment> {
  const call = `the status check of deployment ${id}`
  const subject: Subject = { call, notFound: `Deployment ${id} was not found in the workspace` }
  const deployment = readDeployment(
    await client.getJson(routes.deployment(id), subject, deadline),
    call
  )
  if (deployment.id !== id) {
    throw new ActionError(
      `Workato answered ${call} with deployment ${deployment.id}; refusing to go on.`
    )
  }
  return deployment
}

/** The most deployments read from one list: Workato documents no paging for it. */
export const MAX_DEPLOYMENTS = 1_000

/** Deployments of the project to one environment since `from`, newest first. */
export async function listDeployments(
  client: WorkatoClient,
  filter: { projectId: string; environment: EnvironmentType; from?: string; state?: string }
): Promise<Deployment[]> {
  const query = new URLSearchParams({
    project_id: filter.projectId,
    environment_type: filter.environment
  })
  if (filter.state) query.set('state', filter.state)
  if (filter.from) query.set('from', filter.from)
  const call = `the list of deployments of project ${filter.projectId} to ${filter.environment.toUpperCase()}`
  const body = await client.getJson(routes.deployments(query), {
    call,
    notFound: `Project ${filter.projectId} has no deployment list in the workspace`,
    large: `a list of deployments since ${filter.from ?? 'the start'}`
  })
  const items = Array.isArray(body.items) ? (body.items as unknown[]) : []
  const read = items
    .flatMap(item => {
      if (!item || typeof item !== 'object') return []
      try {
        return [readDeployment(item as Row, call)]
      } catch {
        return []
      }
    })
    // whatever filters Workato applied, only this project and environment count
    .filter(
      d =>
        (d.projectId === undefined || d.projectId === filter.projectId) &&
        (d.environmentType === undefined || d.environmentType === filter.environment)
    )
  // newest first whatever order it came in; past the bound, the oldest are the ones left out
  const at = (d: Deployment) => Date.parse(d.createdAt ?? '') || 0
  read.sort((a, b) => at(b) - at(a) || Number(b.id) - Number(a.id))
  return read.slice(0, MAX_DEPLOYMENTS)
}

/**
 * Polls a build or a deployment until Workato says success or failed. Any other state (the review
 * beta's pending_review, say) is named once and waited on, never taken for success; at
 * wait-timeout the run is timed-out and what was started may still go on.
 */
export async function waitUntilSettled<T extends Stateful>(
  read: (deadline: Deadline) => Promise<T>,
  started: T,
  words: { what: string; where: string },
  options: WaitOptions
): Promise<T> {
  const named = new Set<string>()
  const notice = (item: T): void => {
    if (item.phase !== 'unknown' || named.has(item.state)) return
    named.add(item.state)
    core.warning(
      `Workato reports ${words.what} as "${item.state}", a state the action does not know: waiting on it ` +
        'as if it were pending, until wait-timeout; it counts as deployed only once Workato says success.'
    )
  }
  notice(started)
  if (started.phase === 'success' || started.phase === 'failed') return started
  try {
    return await pollUntilDone(async deadline => {
      const item = await read(deadline)
      notice(item)
      return { done: item.phase === 'success' || item.phase === 'failed', value: item }
    }, options)
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error
    const last = (error.last as T | undefined) ?? started
    throw new ActionError(
      `${capitalize(words.what)} was still "${last.state}" after ${Math.round(error.waitedMs / 1000)} s ` +
        `(wait-timeout). It may still go on in Workato: check ${words.where} before rerunning, or raise wait-timeout.`,
      'timed-out'
    )
  }
}

function readBuild(body: Row, call: string): Build {
  const row = unwrap(body)
  const base = readStateful(row, call, 'build')
  const url = typeof row.download_url === 'string' ? row.download_url.trim() : ''
  return { ...base, downloadUrl: url && url !== 'null' ? url : undefined }
}

function readDeployment(body: Row, call: string): Deployment {
  const row = unwrap(body)
  const base = readStateful(row, call, 'deployment')
  const environment = typeof row.environment_type === 'string' ? row.environment_type : undefined
  return {
    ...base,
    buildId: idOf(row.project_build_id),
    environmentType:
      environment && /^[a-z_]{1,20}$/.test(environment) ? environment : environment && '?'
  }
}

/** The object itself, or the one under `result` / `data` (other Workato APIs wrap theirs). */
function unwrap(body: Row): Row {
  if (idOf(body.id)) return body
  for (const key of ['result', 'data']) {
    const inner = body[key]
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && idOf((inner as Row).id)) {
      return inner as Row
    }
  }
  return body
}

function readStateful(row: Row, call: string, noun: string): Stateful {
  const id = idOf(row.id)
  const state = row.state
  if (!id || typeof state !== 'string' || !state) {
    throw new ActionError(
      `Workato's answer to ${call} has no ${id ? 'state' : `${noun} id`}; refusing to guess what happened.`
    )
  }
  return {
    id,
    state: oneLine(state, 60),
    phase: phaseOf(state),
    projectId: idOf(row.project_id),
    createdAt: timestamp(row.created_at),
    by: typeof row.performed_by_name === 'string' ? oneLine(row.performed_by_name, 100) : undefined,
    description: typeof row.description === 'string' ? oneLine(row.description, 300) : undefined,
    error: failureWords(row)
  }
}

/** A timestamp that may go back into a query (`from`): ISO 8601 and nothing else. */
function timestamp(value: unknown): string | undefined {
  return typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)
    ? value
    : undefined
}

/** Why a build or deployment failed, where an answer may carry it (no field is documented). */
function failureWords(row: Row): string | undefined {
  const said = [row.error, row.error_message, row.message, row.errors]
    .filter(v => v !== undefined && v !== null && v !== '')
    .map(v => (typeof v === 'string' ? v : JSON.stringify(v)))
  return said.length > 0 ? oneLine(said.join('; '), 500) : undefined
}
