/**
 * Workato Environments' Projects API, simulated (../shared/workato-api.md, "Environments:
 * Projects builds and deployments"): projects of a DEV environment, builds with a downloadable
 * zip, deployments to TEST or PROD whose states move with time, and the deployments list with
 * its filters. Each environment is a Workspace entry of its own (its token, recipes and
 * connections); `environment.of` ties the three of one workspace together. A workspace without
 * Environments answers every call with "400 Environments not provisioned".
 */
import type * as http from 'node:http'
import { json } from './http-faults.js'
import { readZip } from './zip.js'
import type { Workspace } from './workato.js'

export type ProjectRoute =
  'projects' | 'buildProject' | 'build' | 'deployBuild' | 'deployment' | 'deployments'

export function projectRoute(
  method: string,
  pathname: string
): { name: ProjectRoute; id: string } | undefined {
  let m: RegExpMatchArray | null
  if (method === 'GET' && pathname === '/api/projects') return { name: 'projects', id: '' }
  if (method === 'POST' && (m = pathname.match(/^\/api\/projects\/([^/]+)\/build$/)))
    return { name: 'buildProject', id: m[1] ?? '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/project_builds\/(\d+)$/)))
    return { name: 'build', id: m[1] ?? '' }
  if (method === 'POST' && (m = pathname.match(/^\/api\/project_builds\/(\d+)\/deploy$/)))
    return { name: 'deployBuild', id: m[1] ?? '' }
  if (method === 'GET' && pathname === '/api/deployments') return { name: 'deployments', id: '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/deployments\/(\d+)$/)))
    return { name: 'deployment', id: m[1] ?? '' }
  return undefined
}

export interface SimProject {
  id: string
  name: string
  folderId: string
}

/** What a build or deployment does: how long it stays pending, and the state it ends in. */
export interface Outcome {
  ms: number
  /** success, failed, or any other word (pending_review: it never leaves it). */
  state: string
  error?: string
}

export interface SimBuild {
  id: number
  workspace: string
  projectId: string
  description: string
  includeTestCases: boolean
  createdAt: number
  outcome: Outcome
  /** The zip, fixed when the build is made: what the project's folder held then. */
  zip: Buffer
  jobId?: number
}

export interface SimDeployment {
  id: number
  workspace: string
  buildId: number
  projectId: string
  environmentType: string
  description: string
  createdAt: number
  outcome: Outcome
  applied: boolean
}

/** What the simulator lends this API: its clock, folders, storage and recipes. */
export interface ProjectsHost {
  workspaces: Workspace[]
  now(): number
  files(ws: Workspace, folderId: string): Map<string, Buffer>
  zip(files: Map<string, Buffer>): Buffer
  /** A fresh pre-signed storage URL for `zip`, keyed by `jobId` once made. */
  serve(ws: Workspace, zip: Buffer, jobId?: number): { url: string; jobId: number }
  newRecipeId(): number
  stop(recipe: NonNullable<Workspace['recipes']>[number]): void
}

const NOT_PROVISIONED = { message: 'Environments not provisioned' }

export class ProjectsApi {
  readonly builds: SimBuild[] = []
  readonly deployments: SimDeployment[] = []
  /** Each build's outcome, in turn; `buildOutcome` after them. */
  readonly buildOutcomes: Array<Partial<Outcome>> = []
  buildOutcome: Outcome = { ms: 0, state: 'success' }
  /** Each deployment's outcome, in turn; `deployOutcome` after them. */
  readonly deployOutcomes: Array<Partial<Outcome>> = []
  deployOutcome: Outcome = { ms: 0, state: 'success' }
  /** A deployment stops the running recipes it updates (Workato does not say; both are played). */
  stopsRecipes = false
  /** The bytes every build serves instead of a zip of its project (a build that is not a package). */
  buildContent?: Buffer
  /** The download_url every build names instead of a pre-signed one (null: none). */
  downloadUrl?: string | null
  /** The deployments list ignores its filters (project, environment, state, from). */
  listIgnoresFilters = false
  /** The error message a failed deployment carries, in a field Workato does not document. */
  failureField: 'error' | 'none' = 'error'
  private nextBuild = 500
  private nextDeployment = 800
  private nextProject = 9_000

  constructor(private readonly host: ProjectsHost) {}

  async handle(
    ws: Workspace,
    route: { name: ProjectRoute; id: string },
    url: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : undefined
    if (!ws.environment) return json(res, 400, NOT_PROVISIONED)
    switch (route.name) {
      case 'projects':
        return json(res, 200, pageOf(url, (ws.projects ?? []).map(projectRow)))
      case 'buildProject':
        return this.build(ws, route.id, body, res)
      case 'build': {
        const build = this.builds.find(b => String(b.id) === route.id && b.workspace === ws.name)
        if (!build) return json(res, 404, { message: 'Not found' })
        return json(res, 200, this.buildRow(ws, build))
      }
      case 'deployBuild':
        return this.deploy(ws, route.id, url.searchParams.get('environment_type'), body, res)
      case 'deployment': {
        const d = this.deployments.find(x => String(x.id) === route.id && x.workspace === ws.name)
        if (!d) return json(res, 404, { message: 'Not found' })
        return json(res, 200, this.deploymentRow(d))
      }
      case 'deployments':
        return json(res, 200, { items: this.list(ws, url).map(d => this.deploymentRow(d)) })
    }
  }

  /** A project of the environment `type` of the same workspace as `ws`, found by name. */
  projectIn(ws: Workspace, type: string, name: string): SimProject | undefined {
    return this.environment(ws, type)?.projects?.find(p => p.name === name)
  }

  environment(ws: Workspace, type: string): Workspace | undefined {
    const of = ws.environment?.of
    return this.host.workspaces.find(w => w.environment?.of === of && w.environment?.type === type)
  }

  private build(
    ws: Workspace,
    id: string,
    body: Record<string, unknown> | undefined,
    res: http.ServerResponse
  ): void {
    const projects = ws.projects ?? []
    const project = id.startsWith('f')
      ? projects.find(p => `f${p.folderId}` === id)
      : projects.find(p => p.id === id)
    if (!project || ws.environment?.type !== 'dev') return json(res, 404, { message: 'Not found' })
    const build: SimBuild = {
      id: this.nextBuild++,
      workspace: ws.name,
      projectId: project.id,
      description: typeof body?.description === 'string' ? body.description : '',
      includeTestCases: body?.include_test_cases === true,
      createdAt: this.host.now(),
      outcome: { ...this.buildOutcome, ...this.buildOutcomes.shift() },
      zip: this.buildContent ?? this.host.zip(this.host.files(ws, project.folderId))
    }
    this.builds.push(build)
    json(res, 200, this.buildRow(ws, build))
  }

  private deploy(
    ws: Workspace,
    buildId: string,
    environmentType: string | null,
    body: Record<string, unknown> | undefined,
    res: http.ServerResponse
  ): void {
    if (!environmentType) return json(res, 400, { message: 'environment_type is required' })
    const build = this.builds.find(b => String(b.id) === buildId && b.workspace === ws.name)
    const target = environmentType === 'test' || environmentType === 'prod'
    if (!build || !target || !this.environment(ws, environmentType)) {
      return json(res, 404, { message: 'Not found' })
    }
    if (this.stateOf(build.createdAt, build.outcome) !== 'success') {
      return json(res, 400, { message: 'Build is not ready to be deployed' })
    }
    const d: SimDeployment = {
      id: this.nextDeployment++,
      workspace: ws.name,
      buildId: build.id,
      projectId: build.projectId,
      environmentType,
      description: typeof body?.description === 'string' ? body.description : '',
      createdAt: this.host.now(),
      outcome: { ...this.deployOutcome, ...this.deployOutcomes.shift() },
      applied: false
    }
    this.deployments.push(d)
    json(res, 200, this.deploymentRow(d))
  }

  /** Newest first; with its filters unless `listIgnoresFilters`. */
  private list(ws: Workspace, url: URL): SimDeployment[] {
    const q = url.searchParams
    const from = q.get('from') ? Date.parse(q.get('from') ?? '') : undefined
    return this.deployments
      .filter(d => d.workspace === ws.name)
      .filter(
        d =>
          this.listIgnoresFilters ||
          ((!q.get('project_id') || d.projectId === q.get('project_id')) &&
            (!q.get('environment_type') || d.environmentType === q.get('environment_type')) &&
            (!q.get('state') || this.stateOf(d.createdAt, d.outcome) === q.get('state')) &&
            (from === undefined || Number.isNaN(from) || d.createdAt >= from))
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
  }

  private stateOf(createdAt: number, outcome: Outcome): string {
    return this.host.now() - createdAt < outcome.ms ? 'pending' : outcome.state
  }

  private buildRow(ws: Workspace, build: SimBuild): Record<string, unknown> {
    const state = this.stateOf(build.createdAt, build.outcome)
    let downloadUrl: string | null = null
    if (state === 'success') {
      if (this.downloadUrl !== undefined) downloadUrl = this.downloadUrl
      else {
        const served = this.host.serve(ws, build.zip, build.jobId)
        build.jobId = served.jobId
        downloadUrl = served.url
      }
    }
    return {
      id: build.id,
      created_at: new Date(build.createdAt).toISOString(),
      updated_at: new Date(build.createdAt + build.outcome.ms).toISOString(),
      description: build.description,
      project_id: Number(build.projectId),
      state,
      performed_by_name: `${ws.name} API client`,
      download_url: downloadUrl,
      ...(state === 'failed' && build.outcome.error ? { error: build.outcome.error } : {})
    }
  }

  private deploymentRow(d: SimDeployment): Record<string, unknown> {
    const state = this.stateOf(d.createdAt, d.outcome)
    if (state === 'success' && !d.applied) this.apply(d)
    return {
      id: d.id,
      created_at: new Date(d.createdAt).toISOString(),
      updated_at: new Date(d.createdAt + d.outcome.ms).toISOString(),
      description: d.description,
      project_build_id: d.buildId,
      environment_type: d.environmentType,
      project_id: Number(d.projectId),
      state,
      performed_by_name: 'dev API client',
      ...(state === 'failed' && d.outcome.error && this.failureField === 'error'
        ? { error: d.outcome.error }
        : {})
    }
  }

  /**
   * A successful deployment in the environment: the project (made by name when it is not there
   * yet), the build's files, its recipes (updated ones stopped when `stopsRecipes`; new ones
   * arrive stopped) and its connections (new ones without credentials).
   */
  private apply(d: SimDeployment): void {
    d.applied = true
    const dev = this.host.workspaces.find(w => w.name === d.workspace)
    const project = dev?.projects?.find(p => p.id === d.projectId)
    const target = dev && this.environment(dev, d.environmentType)
    const build = this.builds.find(b => b.id === d.buildId)
    if (!dev || !project || !target || !build) return
    let there = target.projects?.find(p => p.name === project.name)
    if (!there) {
      const id = this.nextProject++
      there = { id: String(id), name: project.name, folderId: String(id + 1000) }
      ;(target.projects ??= []).push(there)
      target.folders.push(there.folderId)
    }
    const files = this.host.files(target, there.folderId)
    let entries: ReturnType<typeof readZip> = []
    try {
      entries = readZip(build.zip).filter(e => !e.name.endsWith('/'))
    } catch {
      return
    }
    for (const e of entries) files.set(e.name, e.content)
    const recipes = (target.recipes ??= [])
    for (const e of entries) {
      const parsed = parse(e.content)
      if (e.name.endsWith('.recipe.json')) {
        const name = typeof parsed.name === 'string' ? parsed.name : e.name
        const found = recipes.find(r => r.name === name && r.folderId === there.folderId)
        if (!found) {
          recipes.push({
            id: this.host.newRecipeId(),
            name,
            folderId: there.folderId,
            running: false
          })
        } else if (this.stopsRecipes && found.running) this.host.stop(found)
      } else if (e.name.endsWith('.connection.json')) {
        const name = typeof parsed.name === 'string' ? parsed.name : e.name
        const application = typeof parsed.provider === 'string' ? parsed.provider : 'unknown'
        const connections = (target.connections ??= [])
        if (!connections.some(c => c.name === name && c.folderId === there.folderId)) {
          connections.push({
            id: 60_000 + connections.length,
            application,
            name,
            folderId: there.folderId,
            authorizationStatus: null
          })
        }
      }
    }
  }
}

function projectRow(p: SimProject): Record<string, unknown> {
  return { id: Number(p.id), name: p.name, folder_id: Number(p.folderId), description: '' }
}

function pageOf<T>(url: URL, items: T[]): T[] {
  const page = Number(url.searchParams.get('page') ?? '1') || 1
  const per = Math.min(100, Number(url.searchParams.get('per_page') ?? '100') || 100)
  return items.slice((page - 1) * per, page * per)
}

function parse(content: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'))
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 1024 * 1024) return undefined
    chunks.push(chunk as Buffer)
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
