/**
 * A local Workato: the four package endpoints with asynchronous jobs, per-workspace tokens, a
 * separate storage host for pre-signed downloads, and scripted outcomes; faults and outages come
 * from http-faults.ts, folder contents from folders.ts, rate quotas from quota.ts. Responses
 * follow ../shared/workato-api.md and Workato's OpenAPI spec (PackageResponse,
 * PackageDetailsResponse).
 */
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, promises as fs } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import * as http from 'node:http'
import * as https from 'node:https'
import * as os from 'node:os'
import * as path from 'node:path'
import { group } from './checked.js'
import { Folders } from './folders.js'
import {
  fail,
  FaultQueue,
  Hosts,
  json,
  playAnswer,
  sendContent,
  type Fault
} from './http-faults.js'
import { defaultJob, Jobs, type ImportScript, type Job, type JobScript } from './jobs.js'
import { Quotas, refuseOverQuota, type QuotaLimit } from './quota.js'
import { readZip } from './zip.js'
import { ProjectsApi, projectRoute, type ProjectRoute, type SimProject } from './projects.js'

export type Route =
  | 'export'
  | 'import'
  | 'status'
  | 'download'
  | 'storage'
  | 'me'
  | 'folder'
  | 'manifest'
  | 'createManifest'
  | 'updateManifest'
  | 'deleteManifest'
  | 'folderAssets'
  | 'folders'
  | 'connections'
  | 'recipes'
  | 'start'
  | 'stop'
  | 'testCases'
  | 'runTests'
  | 'testRun'
  | ProjectRoute
export type { Fault } from './http-faults.js'
export type { ImportScript, JobScript } from './jobs.js'

/** Workato's rate-limit collections ("Developer API rate limits"), as the simulator groups routes. */
export type Collection =
  'rlm' | 'import' | 'recipes' | 'connections' | 'workspace' | 'folders' | 'tests'

/** The collection whose quota a route counts against; the storage host has none. */
export function collectionOf(route: Route): Collection | undefined {
  switch (route) {
    case 'export':
    case 'status':
    case 'download':
    case 'manifest':
    case 'createManifest':
    case 'updateManifest':
    case 'deleteManifest':
    case 'folderAssets':
      return 'rlm'
    case 'import':
      return 'import'
    case 'recipes':
    case 'start':
    case 'stop':
      return 'recipes'
    case 'connections':
      return 'connections'
    case 'me':
      return 'workspace'
    case 'folders':
    case 'folder':
    // Projects & folders: one collection, its quota assumed as ../shared/workato-api.md says
    case 'projects':
    case 'buildProject':
    case 'build':
    case 'deployBuild':
    case 'deployment':
    case 'deployments':
      return 'folders'
    case 'testCases':
    case 'runTests':
    case 'testRun':
      return 'tests'
    case 'storage':
      return undefined
  }
}

/** The per-minute quotas Workato documents (folders assumed, as ../shared/workato-api.md says). */
export const WORKATO_QUOTAS = {
  rlm: 60,
  recipes: 60,
  connections: 60,
  workspace: 60,
  folders: 60,
  tests: 60
} satisfies Partial<Record<Collection, number>>

export interface QuotaOptions {
  /** Requests per token per window, by collection; collections not named are not limited. */
  perWindow: Partial<Record<Collection, number>>
  /** Default 60_000. */
  windowMs?: number
  /**
   * Import POSTs per token per `importWindowMs`: always limited once `quotas` is set (default
   * 500, Workato's hourly figure; `perWindow.import` when this is not given).
   */
  importPerWindow?: number
  /** Default 3_600_000. */
  importWindowMs?: number
  /**
   * Send Retry-After (whole seconds, rounded up, until the oldest counted request leaves the
   * window). Off by default: Workato documents none.
   */
  retryAfter?: boolean
  /** Refused requests count against the quota too. */
  countRefused?: boolean
  /** Collections whose quota never frees: every request answered 429. */
  blocked?: Collection[]
}

/** Workato documents no 429 body: the usual {message} shape, in words a client may show. */
export const QUOTA_ANSWER = { message: 'Too many requests. Please retry later.' }

export interface Workspace {
  name: string
  token: string
  /**
   * Workato Environments: this entry is the `type` environment of workspace `of` (each with its
   * own token, recipes and connections). Without it the Projects API answers "400 Environments
   * not provisioned".
   */
  environment?: { of: string; type: 'dev' | 'test' | 'prod' }
  /** The environment's projects: DEV's are built; TEST's and PROD's come from deployments. */
  projects?: SimProject[]
  /** export manifest id → package zip (bytes or a file on disk) */
  manifests: Record<string, Buffer | { file: string }>
  folders: string[]
  /** Folders with running recipes: an import without restart_recipes=true is refused (400). */
  runningFolders?: string[]
  /**
   * Export manifests that cover a folder: exporting one zips what the folder holds now, as
   * earlier imports left it (a fresh zip each time, so its bytes differ even when its content
   * does not).
   */
  folderManifests?: Record<string, string>
  /** What folders hold at the start, as a package zip. */
  folderContents?: Record<string, Buffer>
  /** The workspace's name, as GET /api/users/me answers it (default: `name`). */
  displayName?: string
  /** Routes this workspace's API client lacks the privilege for: 403. */
  denied?: Route[]
  /** Export manifests that exist but are archived (deleted in Workato). */
  archivedManifests?: string[]
  /**
   * The folder a manifest's view names as `folder_id`. Workato documents the field for creating
   * a manifest, not in the view's answer: by default the view carries none.
   */
  manifestFolders?: Record<string, string>
  /**
   * What `auto_generate_assets` takes, which Workato does not document: `subfolders`, the assets
   * of folders inside the folder (paths with a directory in the package); `dependencies`, assets
   * outside the folder that its recipes use (`folderDependencies`). Both by default.
   */
  autoGenerate?: { subfolders: boolean; dependencies: boolean }
  /** Assets outside each folder that its recipes use (a called recipe, a connection), as a zip. */
  folderDependencies?: Record<string, Buffer>
  /** Every DELETE of an export manifest is answered this way (a refused delete). */
  refuseManifestDelete?: { status: number; body: unknown }
  /**
   * Test cases of every recipe (ids `citc-<recipe>-<n>`), each with the status its run reports
   * (default `succeeded`; null: the completed run has no result for it). `testCases` by recipe id
   * takes precedence.
   */
  testCasesPerRecipe?: SimTestCase[]
  testCases?: Record<string, SimTestCase[]>
  /** Status checks a test run answers before it is `completed` (default 1). */
  testRunChecks?: number
  /** The status a test run answers until then (default `running`; another word plays the unknown). */
  testRunStatus?: string
  /** Folders inside folders: GET /api/folders?parent_id= lists a parent's children. */
  subfolders?: Array<{ id: string; name: string; parentId: string }>
  /** Recipes by folder, with their running state: imports change it as their results say. */
  recipes?: Array<{
    id: number
    name: string
    folderId: string
    running: boolean
    /** The recipe's `config` as the recipe list answers it (default `[]`). */
    config?: unknown[]
    /** Why a stopped recipe stopped (`stop_cause`; default null). */
    stopCause?: string | null
  }>
  /**
   * The other reading of the docs, where a folder's recipe list also holds its subfolders'
   * recipes (the docs say to walk subfolders, so by default it holds only its own).
   */
  listsSubfolderRecipes?: boolean
  /** Recipes whose start Workato refuses: the 200 body it answers ({success: false, …}). */
  refuseStart?: Record<string, Record<string, unknown>>
  /**
   * Recipes whose start Workato acknowledges ({success: true}) but which do not run: they stay
   * stopped with a stop_cause, as when a trigger fails at once (the docs: success only
   * acknowledges the request).
   */
  startAcknowledgedOnly?: string[]
  /**
   * How GET /api/folders?parent_id= reads: 'children' (default), the parent's direct children;
   * 'nested', every descendant (the other reading of a newer docs preview's
   * `with_nested_folders`), each row with its own parent_id.
   */
  folderListing?: 'children' | 'nested'
  /**
   * Whether GET /api/connections pages: 'ignored' (default), every connection of the folder
   * whatever page/per_page say ("returns all connections"); 'honoured', paged like other lists.
   */
  connectionsPaging?: 'ignored' | 'honoured'
  /** Connections by folder, as GET /api/connections?folder_id= answers them. */
  connections?: Array<{
    id: number
    application: string
    name: string
    folderId: string
    authorizationStatus: 'success' | 'failed' | 'exception' | null
  }>
}

export interface SimTestCase {
  name: string
  status?: string | null
}

export interface RecordedRequest {
  host: 'api' | 'storage'
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  at: number
}

export interface ReceivedImport {
  workspace: string
  folderId: string
  query: Record<string, string>
  size: number
  sha256: string
  bytes?: Buffer
  contentType?: string
  contentLength?: string
}

export interface SimulatorOptions {
  workspaces: Workspace[]
  apiHost?: string
  storageHost?: string
  /** Serve https with this key and certificate (the client must trust it: NODE_EXTRA_CA_CERTS). */
  tls?: { key: string; cert: string }
  /** Fixed ports (0: any free one). */
  apiPort?: number
  storagePort?: number
  /** Names to put in URLs instead of the addresses (for tests through a proxy that maps them). */
  apiName?: string
  storageName?: string
  /** Keep the bytes of imports up to this size in memory for the tests to compare. */
  keepImportBytesUpTo?: number
  /**
   * Workato imports one package at a time per environment; older docs ask for 15 minutes between
   * imports. An import POST while another import of the workspace runs, or within this many ms
   * after the last one finished, is refused with `busyAnswer`.
   */
  importGapMs?: number
  /**
   * How that refusal reads. Workato does not document it ("expect a 4xx with a message"): by
   * default a 400 whose message speaks of another import, so only the words tell it apart.
   */
  busyAnswer?: { status: number; body: unknown }
  /** Workato's per-collection rate limits, counted per token (none by default). */
  quotas?: QuotaOptions
  /**
   * What Workato's import is known to need of a package that was unzipped and zipped again
   * (undocumented; both Workato CLIs re-zip folders and import them): `folderEntries`, an
   * explicit entry for every folder a file is in, as every export has; `exportedNames`, the
   * stricter reading, the very file names of a package this simulator exported. Off by default
   * (most tests import packages built by hand); refused imports answer 400 with the reason.
   */
  reimportChecks?: { folderEntries?: boolean; exportedNames?: boolean }
  /** Every answer, on both hosts, waits this long first (a distant service). */
  latencyMs?: number
  /**
   * The time of the quota windows and of latencyMs; real time by default. A test of a window
   * moves a clock of its own by hand rather than sleeping through it, and one of latency counts
   * the waits. Pre-signed URLs, job times and recorded requests keep to real time.
   */
  clock?: SimClock
  /** Size of each recipe's `code` string in the recipe list (default 30_000: a real recipe). */
  recipeCodeBytes?: number
  /**
   * 400s as the spec's ValidationError ({message: "Validation failed", errors: {field: […]}}):
   * the refused import into a running folder, and the import into a missing folder (400, not
   * 404).
   */
  validationErrors?: boolean
}

export interface SimClock {
  now(): number
  sleep(ms: number): Promise<void>
}

const REAL_TIME: SimClock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

export const DEFAULT_BUSY_ANSWER = {
  status: 400,
  body: { message: 'Another import is in progress in this environment. Please try again later.' }
}

export class WorkatoSimulator {
  apiUrl = ''
  storageUrl = ''
  readonly requests: RecordedRequest[] = []
  readonly imports: ReceivedImport[] = []
  readonly exportPosts: string[] = []
  /** Export manifests made through the API, in order, and whether each was deleted since. */
  readonly madeManifests: Array<{
    workspace: string
    id: string
    name: string
    folderId: string
    body: Record<string, unknown>
    deleted: boolean
  }> = []
  private nextManifestId = 700
  /** The test case ids of each run request POSTed, in order. */
  readonly testRunPosts: string[][] = []
  private readonly testRuns = new Map<
    string,
    { workspace: string; ids: string[]; checks: number }
  >()
  readonly importPosts: string[] = []
  /** Import POSTs refused because another import ran or ended too recently. */
  busyRefusals = 0
  /** Called when an import job is made: a test can queue faults for what follows it. */
  onImportStarted?: () => void
  private refuseImports = 0
  exportScript: JobScript = defaultJob()
  importScript: ImportScript = { ...defaultJob(), completeOnPost: false }
  /** Scripts for the next exports, one each, in turn; exportScript after them. */
  readonly exportScripts: Array<Partial<JobScript>> = []
  /** Scripts for the next imports, one each, in turn; importScript after them. */
  readonly importScripts: Array<Partial<ImportScript>> = []
  /** 'redirect' to the storage host (default) or 'direct' bytes from /download. */
  downloadMode: 'redirect' | 'direct' = 'redirect'
  /** How long a pre-signed URL stays valid. */
  urlTtlMs = 60_000
  /** Every answer waits this long first; settable while running. */
  latencyMs: number
  /** Each 429 answered from a quota. */
  readonly rateLimited: Array<{ collection: Collection; route: Route; at: number }> = []
  /** Requests that reached a route of the api host, by collection and token as sent. */
  private readonly calls = new Map<string, { collection: Collection; token: string; n: number }>()
  private readonly quotas?: Quotas<Collection>
  private readonly clock: SimClock
  /** When each recipe last stopped, for stopped_at. */
  private readonly stoppedAt = new Map<number, number>()

  private readonly faults = new FaultQueue<Route>()
  private readonly hosts = new Hosts<'api' | 'storage'>()
  private readonly folders = new Folders()
  private readonly jobs = new Jobs()
  private readonly signed = new Map<string, { jobId: number; expiresAt: number }>()
  private nextRecipeId = 12_340
  private api?: http.Server
  private storage?: http.Server
  apiPort = 0
  storagePort = 0
  private readonly outages = new Map<Route, { host: 'api' | 'storage'; ms: number }>()
  private scratch = ''
  /** Environments' projects, builds and deployments, with their knobs. */
  readonly projects: ProjectsApi

  constructor(private readonly options: SimulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0
    this.clock = options.clock ?? REAL_TIME
    this.projects = new ProjectsApi({
      workspaces: options.workspaces,
      now: () => this.clock.now(),
      files: (ws, folderId) => this.folderFiles(ws, folderId),
      zip: files => this.folders.zip(files),
      serve: (ws, zip, jobId) => {
        const id =
          jobId ??
          this.jobs.create(ws.name, 'export', { ...defaultJob(), runningChecks: 0 }, zip).id
        return { url: this.presign(id), jobId: id }
      },
      newRecipeId: () => this.nextRecipeId++,
      stop: recipe => this.setStopped(recipe)
    })
    const quotas = options.quotas
    if (quotas) {
      const windowMs = quotas.windowMs ?? 60_000
      const limits: Partial<Record<Collection, QuotaLimit>> = {}
      for (const [collection, limit] of Object.entries(quotas.perWindow) as Array<
        [Collection, number | undefined]
      >) {
        if (limit !== undefined) limits[collection] = { limit, windowMs }
      }
      limits.import = {
        limit: quotas.importPerWindow ?? quotas.perWindow.import ?? 500,
        windowMs: quotas.importWindowMs ?? 3_600_000
      }
      this.quotas = new Quotas({
        limits,
        blocked: quotas.blocked,
        countRefused: quotas.countRefused
      })
    }
  }

  async start(): Promise<this> {
    this.scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'workato-sim-'))
    const scheme = this.options.tls ? 'https' : 'http'
    const server = (handler: http.RequestListener): http.Server =>
      this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler)
    this.api = server((req, res) => void this.handleApi(req, res).catch(e => fail(res, e)))
    this.storage = server((req, res) => void this.handleStorage(req, res).catch(e => fail(res, e)))
    const apiHost = this.options.apiHost ?? '127.0.0.1'
    const storageHost = this.options.storageHost ?? '127.0.0.2'
    this.apiPort = await this.hosts.listen('api', this.api, apiHost, this.options.apiPort)
    this.storagePort = await this.hosts.listen(
      'storage',
      this.storage,
      storageHost,
      this.options.storagePort
    )
    this.apiUrl = `${scheme}://${this.options.apiName ?? apiHost}:${this.apiPort}`
    this.storageUrl = `${scheme}://${this.options.storageName ?? storageHost}:${this.storagePort}`
    return this
  }

  async stop(): Promise<void> {
    await this.hosts.close()
    await fs.rm(this.scratch, { recursive: true, force: true })
  }

  /**
   * When the next request to `route` arrives, `host` stops accepting connections for `ms`:
   * the client's next connection attempts there are refused (ECONNREFUSED), as when a
   * service restarts.
   */
  refuseAfter(route: Route, host: 'api' | 'storage', ms: number): this {
    this.outages.set(route, { host, ms })
    return this
  }

  private startOutage(route: Route): void {
    const outage = this.outages.get(route)
    if (!outage) return
    this.outages.delete(route)
    this.hosts.refuseFor(outage.host, outage.ms)
  }

  /** Queue `fault` for the next `times` requests to `route`. */
  fault(route: Route, fault: Fault, times = 1): this {
    this.faults.add(route, fault, times)
    return this
  }

  workspace(name: string): Workspace {
    const ws = this.options.workspaces.find(w => w.name === name)
    if (!ws) throw new Error(`no workspace ${name}`)
    return ws
  }

  /** The files a folder holds now, by path. */
  folderFiles(ws: Workspace, folderId: string): Map<string, Buffer> {
    return this.folders.files(ws.name, folderId, ws.folderContents?.[folderId])
  }

  /** Faults and outages queued but not yet played: a test of a fault must see it happen. */
  pendingFaults(): number {
    return this.outages.size + this.faults.pending()
  }

  /** Every pre-signed signature handed out, for leak checks. */
  signatures(): string[] {
    return [...this.signed.keys()]
  }

  jobStatusChecks(id: number): number {
    return this.jobs.get(id)?.checks ?? 0
  }

  /** Requests answered on the api host (429s included), of one collection and token, or all. */
  callsBy(collection?: Collection, token?: string): number {
    let n = 0
    for (const c of this.calls.values()) {
      if (
        (collection === undefined || c.collection === collection) &&
        (token === undefined || c.token === token)
      )
        n += c.n
    }
    return n
  }

  private countCall(route: Route, req: http.IncomingMessage): void {
    const collection = collectionOf(route)
    if (!collection) return
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
    const key = `${collection}\n${token}`
    const entry = this.calls.get(key) ?? { collection, token, n: 0 }
    entry.n++
    this.calls.set(key, entry)
  }

  /** Answers 429 when `ws` is past its quota for the route's collection. */
  private overQuota(
    ws: Workspace,
    route: Route,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): boolean {
    const collection = collectionOf(route)
    if (!this.quotas || !collection) return false
    const now = this.clock.now()
    const verdict = this.quotas.admit(collection, ws.token, now)
    if (verdict.admitted) return false
    this.rateLimited.push({ collection, route, at: now })
    refuseOverQuota(req, res, verdict, {
      body: QUOTA_ANSWER,
      retryAfter: this.options.quotas?.retryAfter
    })
    return true
  }

  private async handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.record('api', req)
    await this.delay()
    const url = new URL(req.url ?? '/', this.apiUrl)
    const route = apiRoute(req.method ?? '', url.pathname)
    // Workato's answer to a path or method it does not have (its docs), apart from an unknown id
    if (!route) return json(res, 404, { message: 'API not found' })
    this.countCall(route.name, req)
    this.startOutage(route.name)
    const answer = this.faults.takeAnswer(route.name)
    if (answer) return playAnswer(answer, req, res)
    const ws = this.options.workspaces.find(w => req.headers.authorization === `Bearer ${w.token}`)
    if (!ws) {
      req.resume()
      return json(res, 401, { message: 'Unauthorized' })
    }
    // before anything else: a refused request must not export, import or start anything
    if (this.overQuota(ws, route.name, req, res)) return
    if (ws.denied?.includes(route.name)) {
      req.resume()
      return json(res, 403, { message: 'Access denied' })
    }
    if (isProjectRoute(route.name)) {
      return this.projects.handle(ws, { name: route.name, id: route.id }, url, req, res)
    }
    switch (route.name) {
      case 'me':
        return json(res, 200, {
          id: 1000 + this.options.workspaces.indexOf(ws),
          name: ws.displayName ?? ws.name,
          email: `${ws.name}@example.com`,
          root_folder_id: 1
        })
      case 'folder':
        if (!ws.folders.includes(route.id)) return json(res, 404, { message: 'Not found' })
        return json(res, 200, {
          id: Number(route.id),
          name: `Folder ${route.id}`,
          parent_id: null,
          is_project: false,
          project_id: null,
          created_at: CREATED_AT,
          updated_at: CREATED_AT
        })
      case 'manifest':
        return this.manifest(ws, route.id, res)
      case 'createManifest':
      case 'updateManifest':
        return this.writeManifest(
          ws,
          route.name === 'updateManifest' ? route.id : undefined,
          req,
          res
        )
      case 'deleteManifest':
        return this.deleteManifest(ws, route.id, req, res)
      case 'folderAssets': {
        const folder = url.searchParams.get('folder_id') ?? ''
        if (!ws.folders.includes(folder)) return json(res, 404, { message: 'Not found' })
        return json(res, 200, {
          result: { assets: folderAssetRows(this.autoGenerated(ws, folder)) }
        })
      }
      case 'folders':
        return json(res, 200, page(url, folderRows(ws, url.searchParams.get('parent_id'))))
      case 'recipes': {
        const folder = url.searchParams.get('folder_id')
        // descending id order, {items: [...]}, as the docs show
        const inFolder = (id: string): boolean =>
          id === folder ||
          (!!ws.listsSubfolderRecipes &&
            (ws.subfolders ?? []).some(f => f.id === id && inFolder(f.parentId)))
        const listed = (ws.recipes ?? [])
          .filter(r => inFolder(r.folderId))
          .sort((a, b) => b.id - a.id)
        const withCode = url.searchParams.get('exclude_code') !== 'true'
        // only the page asked for is built: a code string per recipe is the costly part
        const items = page(url, listed).map(r => this.recipeItem(ws, r, withCode))
        return json(res, 200, { items })
      }
      case 'start':
      case 'stop':
        return this.startOrStop(ws, route.name, Number(route.id), res)
      case 'testCases':
        return json(res, 200, {
          data: this.testCasesOf(ws, route.id).map(c => ({
            id: c.id,
            name: c.name,
            description: '',
            created_at: CREATED_AT,
            updated_at: CREATED_AT
          }))
        })
      case 'runTests':
        return this.runTests(ws, req, res)
      case 'testRun':
        return this.testRun(ws, route.id, res)
      case 'connections': {
        // a bare array of every connection of the folder: Workato documents no paging here
        const rows = (ws.connections ?? [])
          .filter(c => c.folderId === url.searchParams.get('folder_id'))
          .map(c => ({
            id: c.id,
            application: c.application,
            name: c.name,
            folder_id: Number(c.folderId),
            authorization_status: c.authorizationStatus,
            authorization_error: c.authorizationStatus === 'success' ? null : 'Not connected',
            authorized_at: c.authorizationStatus === 'success' ? CREATED_AT : null,
            created_at: CREATED_AT,
            updated_at: CREATED_AT,
            provider: c.application,
            parent_id: null
          }))
        return json(res, 200, ws.connectionsPaging === 'honoured' ? page(url, rows) : rows)
      }
      case 'export':
        return this.startExport(ws, route.id, req, res)
      case 'import':
        return this.startImport(ws, route.id, url, req, res)
      case 'status':
        return this.status(ws, Number(route.id), res)
      case 'download':
        return this.download(ws, Number(route.id), res)
    }
  }

  /** A recipe list item with the spec's Recipe fields, `code` a JSON string unless excluded. */
  private recipeItem(
    ws: Workspace,
    r: NonNullable<Workspace['recipes']>[number],
    withCode: boolean
  ): Record<string, unknown> {
    const config = r.config ?? []
    const providers = [
      ...new Set(
        config
          .map(c => (c as { provider?: unknown } | null)?.provider)
          .filter((p): p is string => typeof p === 'string')
      )
    ]
    const stoppedAt = this.stoppedAt.get(r.id)
    const item: Record<string, unknown> = {
      id: r.id,
      user_id: 1000 + this.options.workspaces.indexOf(ws),
      name: r.name,
      created_at: CREATED_AT,
      updated_at: CREATED_AT,
      copy_count: 1,
      trigger_application: 'clock',
      action_applications: providers,
      applications: ['clock', ...providers],
      description: '',
      parameters_schema: [],
      parameters: {},
      webhook_url: null,
      folder_id: Number(r.folderId),
      running: r.running,
      job_succeeded_count: 0,
      job_failed_count: 0,
      lifetime_task_count: 0,
      last_run_at: null,
      stopped_at: r.running
        ? null
        : stoppedAt === undefined
          ? CREATED_AT
          : new Date(stoppedAt).toISOString(),
      version_no: 1,
      stop_cause: r.running ? null : (r.stopCause ?? null),
      config,
      trigger_closure: null,
      author_name: ws.name,
      version_author_name: ws.name,
      version_author_email: `${ws.name}@example.com`,
      version_comment: null
    }
    if (withCode) item.code = recipeCode(r.id, this.options.recipeCodeBytes ?? 30_000)
    return item
  }

  /**
   * What an import does to running state (Workato's docs): restarted runs; stopped and
   * restart_failed are stopped; a recipe that was not there arrives stopped; others keep theirs.
   * A new recipe is named as its recipe JSON names it, when the import's zip said.
   */
  private applyResults(
    ws: Workspace,
    folderId: string,
    results: Array<{ id: number | string; import_result: string }>,
    names: Map<number, string> = new Map()
  ): void {
    const recipes = (ws.recipes ??= [])
    for (const { id, import_result: result } of results) {
      // a hostile result's id (a string) names no recipe of the workspace
      if (typeof id !== 'number') continue
      const recipe = recipes.find(r => r.id === id)
      if (!recipe) {
        recipes.push({ id, name: names.get(id) ?? `Recipe ${id}`, folderId, running: false })
      } else if (result === 'restarted') recipe.running = true
      else if (result === 'stopped' || result === 'restart_failed') this.setStopped(recipe)
    }
  }

  /** 200 {success: true}, or 200 {success: false, …} when refused: Workato's own shape. */
  private startOrStop(
    ws: Workspace,
    action: 'start' | 'stop',
    id: number,
    res: http.ServerResponse
  ): void {
    const recipe = ws.recipes?.find(r => r.id === id)
    if (!recipe) return json(res, 404, { message: 'Not found' })
    const refused = action === 'start' ? ws.refuseStart?.[String(id)] : undefined
    if (refused) return json(res, 200, { success: false, ...refused })
    if (recipe.running === (action === 'start')) {
      return json(res, 400, {
        message: `Recipe is already ${action === 'start' ? 'running' : 'stopped'}`
      })
    }
    if (action === 'stop') this.setStopped(recipe)
    else if (ws.startAcknowledgedOnly?.includes(String(id))) {
      this.setStopped(recipe, 'trigger_error')
    } else {
      recipe.running = true
      // left absent when it never was set: tests compare workspace entries as they wrote them
      if (recipe.stopCause !== undefined) recipe.stopCause = null
    }
    json(res, 200, { success: true })
  }

  private setStopped(recipe: NonNullable<Workspace['recipes']>[number], cause?: string): void {
    if (recipe.running || cause) this.stoppedAt.set(recipe.id, Date.now())
    recipe.running = false
    if (cause) recipe.stopCause = cause
  }

  /**
   * What an auto-generated manifest of `folderId` exports now: the folder's files, without those
   * of its subfolders and with its dependencies outside it as `autoGenerate` reads the docs.
   */
  autoGenerated(ws: Workspace, folderId: string): Map<string, Buffer> {
    const reading = ws.autoGenerate ?? { subfolders: true, dependencies: true }
    const files = new Map<string, Buffer>()
    for (const [name, content] of this.folderFiles(ws, folderId)) {
      if (reading.subfolders || !name.includes('/')) files.set(name, content)
    }
    const outside = ws.folderDependencies?.[folderId]
    if (reading.dependencies && outside) {
      for (const e of readZip(outside)) if (!e.name.endsWith('/')) files.set(e.name, e.content)
    }
    return files
  }

  /**
   * POST /api/export_manifests (or PUT …/{id}): `{export_manifest: {name, folder_id,
   * auto_generate_assets, …}}`, 201 `{result: {id, name, status: "working", …}}` as the spec says.
   * Only auto-generated manifests are simulated: their export zips what the folder holds then.
   */
  private async writeManifest(
    ws: Workspace,
    existing: string | undefined,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    let body: { export_manifest?: Record<string, unknown> }
    try {
      body = JSON.parse((await readSmallBody(req)).toString('utf8')) as typeof body
    } catch {
      return json(res, 400, { message: 'Invalid JSON' })
    }
    if (req.headers['content-type'] !== 'application/json') {
      return json(res, 400, { message: 'Content-Type must be application/json' })
    }
    const manifest = body.export_manifest ?? {}
    const name = manifest.name
    const folderId =
      typeof manifest.folder_id === 'number' || typeof manifest.folder_id === 'string'
        ? String(manifest.folder_id)
        : ''
    if (typeof name !== 'string' || !name) {
      return json(res, 400, validationError('name', "can't be blank"))
    }
    if (manifest.auto_generate_assets !== true || !ws.folders.includes(folderId)) {
      return json(res, 400, validationError('folder_id', 'is invalid'))
    }
    const made = existing
      ? this.madeManifests.find(m => m.workspace === ws.name && m.id === existing && !m.deleted)
      : undefined
    if (existing && !made) return json(res, 404, { message: 'Not found' })
    const entry = made ?? {
      workspace: ws.name,
      id: String(this.nextManifestId++),
      name,
      folderId,
      body: manifest,
      deleted: false
    }
    Object.assign(entry, { name, folderId, body: manifest })
    if (!made) this.madeManifests.push(entry)
    json(res, made ? 200 : 201, { result: manifestResult(entry.id, name, 'working') })
  }

  private deleteManifest(
    ws: Workspace,
    id: string,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): void {
    req.resume()
    if (ws.refuseManifestDelete) {
      return json(res, ws.refuseManifestDelete.status, ws.refuseManifestDelete.body)
    }
    const made = this.madeManifests.find(m => m.workspace === ws.name && m.id === id && !m.deleted)
    if (!made) return json(res, 404, { message: 'Not found' })
    made.deleted = true
    json(res, 200, { success: true })
  }

  private testCasesOf(ws: Workspace, recipeId: string): Array<SimTestCase & { id: string }> {
    const cases = ws.testCases?.[recipeId] ?? ws.testCasesPerRecipe ?? []
    return cases.map((c, i) => ({ ...c, id: `citc-${recipeId}-${i + 1}` }))
  }

  /** POST /api/test_cases/run_requests with test_case_ids: `{data: {id: "cirr-…", status, …}}`. */
  private async runTests(
    ws: Workspace,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    let body: { test_case_ids?: unknown }
    try {
      body = JSON.parse((await readSmallBody(req)).toString('utf8')) as typeof body
    } catch {
      return json(res, 400, { message: 'Invalid JSON' })
    }
    const ids = Array.isArray(body.test_case_ids) ? body.test_case_ids.map(String) : []
    if (ids.length === 0 || ids.length > 500) {
      return json(res, 400, validationError('test_case_ids', 'must hold 1 to 500 ids'))
    }
    this.testRunPosts.push(ids)
    const id = `cirr-${randomBytes(6).toString('hex')}`
    this.testRuns.set(id, { workspace: ws.name, ids, checks: 0 })
    json(res, 200, { data: this.describeTestRun(ws, id) })
  }

  private testRun(ws: Workspace, id: string, res: http.ServerResponse): void {
    const run = this.testRuns.get(id)
    if (!run || run.workspace !== ws.name) return json(res, 404, { message: 'Not found' })
    run.checks++
    json(res, 200, { data: this.describeTestRun(ws, id) })
  }

  private describeTestRun(ws: Workspace, id: string): Record<string, unknown> {
    const run = this.testRuns.get(id)!
    const done = run.checks >= (ws.testRunChecks ?? 1)
    const base = { id, user: { id: 1 }, created_at: CREATED_AT, updated_at: CREATED_AT }
    if (!done) return { ...base, status: ws.testRunStatus ?? 'running', results: [] }
    const results = run.ids.flatMap(caseId => {
      const m = caseId.match(/^citc-(\d+)-\d+$/)
      const recipeId = m?.[1] ?? ''
      const found = this.testCasesOf(ws, recipeId).find(c => c.id === caseId)
      if (!found || found.status === null) return []
      return [
        {
          recipe: { id: Number(recipeId), name: recipeName(ws, recipeId) },
          test_case: { id: caseId, name: found.name },
          job: { id: 90_000 + this.testRunPosts.length },
          status: found.status ?? 'succeeded'
        }
      ]
    })
    return { ...base, status: 'completed', results, coverage: { value: 80 } }
  }

  /** An export manifest, wrapped in `result` as Workato answers it; archived means deleted. */
  private manifest(ws: Workspace, id: string, res: http.ServerResponse): void {
    const made = this.madeManifests.find(m => m.workspace === ws.name && m.id === id)
    if (made) {
      return json(res, 200, {
        result: manifestResult(id, made.name, made.deleted ? 'archived' : 'working')
      })
    }
    const exists = ws.manifests[id] !== undefined || ws.folderManifests?.[id] !== undefined
    if (!exists) return json(res, 404, { message: 'Not found' })
    const status = ws.archivedManifests?.includes(id) ? 'archived' : 'working'
    const folder = ws.manifestFolders?.[id]
    json(res, 200, {
      result: {
        id: Number(id),
        name: `Manifest ${id}`,
        status,
        ...(folder ? { folder_id: Number(folder) } : {})
      }
    })
  }

  private startExport(
    ws: Workspace,
    manifestId: string,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): void {
    req.resume()
    this.exportPosts.push(manifestId)
    const folder = ws.folderManifests?.[manifestId]
    const made = this.madeManifests.find(
      m => m.workspace === ws.name && m.id === manifestId && !m.deleted
    )
    const content = made
      ? this.folders.zip(this.autoGenerated(ws, made.folderId))
      : folder
        ? this.folders.zip(this.folderFiles(ws, folder))
        : ws.manifests[manifestId]
    if (!content) return json(res, 404, { message: 'Export manifest not found' })
    const job = this.jobs.create(
      ws.name,
      'export',
      { ...this.exportScript, ...this.exportScripts.shift() },
      content
    )
    job.manifestId = manifestId
    json(
      res,
      200,
      this.jobs.describe(job, id => this.presign(id))
    )
  }

  private async startImport(
    ws: Workspace,
    folderId: string,
    url: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    this.importPosts.push(folderId)
    const file = path.join(this.scratch, `import-${this.importPosts.length}.zip`)
    const hash = createHash('sha256')
    let size = 0
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk)
        size += chunk.length
        callback(null, chunk)
      }
    })
    await pipeline(req, tap, createWriteStream(file))
    const query = Object.fromEntries(url.searchParams)
    if (this.jobs.importsBusy(ws.name, this.options.importGapMs ?? 0) || this.refuseImports > 0) {
      this.refuseImports = Math.max(0, this.refuseImports - 1)
      this.busyRefusals++
      const answer = this.options.busyAnswer ?? DEFAULT_BUSY_ANSWER
      return json(res, answer.status, answer.body)
    }
    const keep = size <= (this.options.keepImportBytesUpTo ?? 50 * 1024 * 1024)
    this.imports.push({
      workspace: ws.name,
      folderId,
      query,
      size,
      sha256: hash.digest('hex'),
      bytes: keep ? await fs.readFile(file) : undefined,
      contentType: req.headers['content-type'],
      contentLength: req.headers['content-length']
    })
    if (!ws.folders.includes(folderId)) {
      if (this.options.validationErrors)
        return json(res, 400, validationError('folder_id', 'is invalid'))
      return json(res, 404, { message: 'Folder not found' })
    }
    if (req.headers['content-type'] !== 'application/octet-stream') {
      return json(res, 400, { message: 'Content-Type must be application/octet-stream' })
    }
    const head = Buffer.alloc(4)
    const fd = await fs.open(file, 'r')
    await fd.read(head, 0, 4, 0)
    await fd.close()
    if (head.readUInt32LE(0) !== 0x04034b50)
      return json(res, 400, { message: 'Invalid package: not a zip file' })
    const layoutProblem = this.reimportProblem(await fs.readFile(file))
    if (layoutProblem) return json(res, 400, { message: `Invalid package: ${layoutProblem}` })
    if (ws.runningFolders?.includes(folderId) && query.restart_recipes !== 'true') {
      const reason =
        'Package contains running recipes. Set restart_recipes to true to allow restarting them.'
      if (this.options.validationErrors)
        return json(res, 400, validationError('restart_recipes', reason))
      return json(res, 400, { message: reason })
    }
    const script = { ...this.importScript, ...this.importScripts.shift() }
    const job = this.jobs.create(ws.name, 'import', script)
    this.onImportStarted?.()
    this.refuseImports = script.thenRefuse ?? 0
    // recipe_status carries ids only: the names the zip gives stay here, for the recipe lists
    const names = new Map<number, string>()
    job.recipeStatus =
      script.recipeStatus ??
      (keep ? importedRecipes(await fs.readFile(file)) : [undefined]).map(name => {
        const id = this.nextRecipeId++
        if (name !== undefined) names.set(id, name)
        return {
          id,
          // the docs' spelling (the spec and Workato's CLI drop the first "d" of "updated")
          import_result: 'no_update_or_update_without_restart'
        }
      })
    this.applyResults(ws, folderId, job.recipeStatus, names)
    if (script.completeOnPost) job.checks = script.runningChecks + 1
    // a failed import stops part-way: only the first half of its files reach the folder
    if (keep)
      this.folders.store(
        this.folderFiles(ws, folderId),
        await fs.readFile(file),
        script.outcome === 'failed'
      )
    json(
      res,
      200,
      this.jobs.describe(job, id => this.presign(id), {
        post: true,
        finished: script.completeOnPost
      })
    )
  }

  private status(ws: Workspace, id: number, res: http.ServerResponse): void {
    const job = this.jobs.get(id)
    if (!job || job.workspace !== ws.name) return json(res, 404, { message: 'Package not found' })
    job.checks++
    json(
      res,
      200,
      this.jobs.describe(job, id => this.presign(id))
    )
  }

  private download(ws: Workspace, id: number, res: http.ServerResponse): void {
    const job = this.jobs.get(id)
    if (
      !job ||
      job.workspace !== ws.name ||
      job.operation !== 'export' ||
      this.jobs.state(job) !== 'completed'
    ) {
      return json(res, 404, { message: "Package not found or doesn't have content" })
    }
    if (this.downloadMode === 'direct') return void this.sendContent(job, res, 'download')
    res.writeHead(302, { Location: this.presign(id), 'Content-Type': 'text/html' })
    res.end('<html><body>You are being redirected.</body></html>')
  }

  private async handleStorage(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.record('storage', req)
    await this.delay()
    this.startOutage('storage')
    const answer = this.faults.takeAnswer('storage')
    if (answer) return playAnswer(answer, req, res)
    const url = new URL(req.url ?? '/', this.storageUrl)
    const grant = this.signed.get(url.searchParams.get('X-Amz-Signature') ?? '')
    if (!grant || !url.pathname.startsWith(`/packages/${grant.jobId}/`)) {
      res.writeHead(403, { 'Content-Type': 'application/xml' })
      return void res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>')
    }
    if (Date.now() > grant.expiresAt) {
      res.writeHead(403, { 'Content-Type': 'application/xml' })
      return void res.end(
        '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'
      )
    }
    await this.sendContent(this.jobs.get(grant.jobId)!, res, 'storage')
  }

  /** The file names of each package served, for reimportChecks.exportedNames. */
  private readonly exportedLayouts = new Set<string>()
  /** SimulatorOptions.reimportChecks, changeable by a test. */
  reimportChecks: SimulatorOptions['reimportChecks']

  private reimportProblem(zip: Buffer): string | undefined {
    const checks = this.reimportChecks ?? this.options.reimportChecks
    if (!checks) return undefined
    let names: string[]
    try {
      names = readZip(zip).map(e => e.name)
    } catch {
      return 'the zip cannot be read'
    }
    const files = names.filter(n => !n.endsWith('/'))
    if (checks.folderEntries) {
      const folders = new Set(names.filter(n => n.endsWith('/')))
      for (const name of files) {
        const parts = name.split('/')
        for (let i = 1; i < parts.length; i++) {
          const folder = `${parts.slice(0, i).join('/')}/`
          if (!folders.has(folder)) return `folder "${folder}" of "${name}" has no entry`
        }
      }
    }
    if (checks.exportedNames && !this.exportedLayouts.has(JSON.stringify([...files].sort()))) {
      return 'its files are not those of a package exported from Workato'
    }
    return undefined
  }

  private sendContent(job: Job, res: http.ServerResponse, route: Route): Promise<void> {
    if (!job.content) throw new Error(`job ${job.id} has no content`)
    try {
      if (Buffer.isBuffer(job.content)) {
        const files = readZip(job.content)
          .map(e => e.name)
          .filter(n => !n.endsWith('/'))
        this.exportedLayouts.add(JSON.stringify(files.sort()))
      }
    } catch {
      // a hostile export the tests serve on purpose: nothing to remember
    }
    return sendContent(res, job.content, this.faults.takeContent(route))
  }

  /** A short-lived storage URL whose query string is the credential. */
  private presign(jobId: number): string {
    const signature = randomBytes(16).toString('hex')
    this.signed.set(signature, { jobId, expiresAt: Date.now() + this.urlTtlMs })
    return `${this.storageUrl}/packages/${jobId}/package.zip?X-Amz-Expires=60&X-Amz-Signature=${signature}`
  }

  /** The body, unread meanwhile, waits in the socket for the handler. */
  private async delay(): Promise<void> {
    if (this.latencyMs > 0) await this.clock.sleep(this.latencyMs)
  }

  private record(host: 'api' | 'storage', req: http.IncomingMessage): void {
    this.requests.push({
      host,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      at: Date.now()
    })
  }
}

function isProjectRoute(route: Route): route is ProjectRoute {
  return collectionOf(route) === 'folders' && route !== 'folders' && route !== 'folder'
}

function apiRoute(method: string, pathname: string): { name: Route; id: string } | undefined {
  const project = projectRoute(method, pathname)
  if (project) return project
  let m: RegExpMatchArray | null
  if (method === 'GET' && pathname === '/api/users/me') return { name: 'me', id: '' }
  if (method === 'GET' && pathname === '/api/folders') return { name: 'folders', id: '' }
  if (method === 'GET' && pathname === '/api/recipes') return { name: 'recipes', id: '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/recipes\/(\d+)\/test_cases$/)))
    return { name: 'testCases', id: group(m, 1) }
  if (method === 'POST' && pathname === '/api/test_cases/run_requests')
    return { name: 'runTests', id: '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/test_cases\/run_requests\/([\w-]+)$/)))
    return { name: 'testRun', id: group(m, 1) }
  if (method === 'PUT' && (m = pathname.match(/^\/api\/recipes\/(\d+)\/(start|stop)$/)))
    return { name: group(m, 2) === 'stop' ? 'stop' : 'start', id: group(m, 1) }
  if (method === 'GET' && pathname === '/api/connections') return { name: 'connections', id: '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/folders\/(\d+)$/)))
    return { name: 'folder', id: group(m, 1) }
  if (method === 'GET' && pathname === '/api/export_manifests/folder_assets')
    return { name: 'folderAssets', id: '' }
  if (method === 'POST' && pathname === '/api/export_manifests')
    return { name: 'createManifest', id: '' }
  if (method === 'GET' && (m = pathname.match(/^\/api\/export_manifests\/(\d+)$/)))
    return { name: 'manifest', id: group(m, 1) }
  if (method === 'PUT' && (m = pathname.match(/^\/api\/export_manifests\/(\d+)$/)))
    return { name: 'updateManifest', id: group(m, 1) }
  if (method === 'DELETE' && (m = pathname.match(/^\/api\/export_manifests\/(\d+)$/)))
    return { name: 'deleteManifest', id: group(m, 1) }
  if (method === 'POST' && (m = pathname.match(/^\/api\/packages\/export\/([^/]+)$/)))
    return { name: 'export', id: group(m, 1) }
  if (method === 'POST' && (m = pathname.match(/^\/api\/packages\/import\/([^/]+)$/)))
    return { name: 'import', id: group(m, 1) }
  if (method === 'GET' && (m = pathname.match(/^\/api\/packages\/(\d+)$/)))
    return { name: 'status', id: group(m, 1) }
  if (method === 'GET' && (m = pathname.match(/^\/api\/packages\/(\d+)\/download$/)))
    return { name: 'download', id: group(m, 1) }
  return undefined
}

/** Timestamps for rows that need one: fixed, so answers compare equal across runs. */
const CREATED_AT = '2026-01-01T00:00:00.000Z'

/**
 * A parent's direct children, as Workato lists them: a bare array; under 'nested' every
 * descendant, depth first, each with its own parent.
 */
function folderRows(ws: Workspace, parentId: string | null): unknown[] {
  const all = ws.subfolders ?? []
  const listed: typeof all = []
  const seen = new Set<string>()
  const walk = (parent: string | null): void => {
    for (const f of all) {
      if (f.parentId !== parent || seen.has(f.id)) continue
      seen.add(f.id)
      listed.push(f)
      if (ws.folderListing === 'nested') walk(f.id)
    }
  }
  walk(parentId)
  return listed.map(f => ({
    id: Number(f.id),
    name: f.name,
    parent_id: Number(f.parentId),
    is_project: false,
    project_id: null,
    created_at: CREATED_AT,
    updated_at: CREATED_AT
  }))
}

/** The spec's ExportManifestResponse `result`. */
function manifestResult(id: string, name: string, status: string): Record<string, unknown> {
  return {
    id: Number(id),
    name,
    last_exported_at: null,
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    deleted_at: status === 'archived' ? CREATED_AT : null,
    project_path: 'All projects',
    status
  }
}

/** A folder's files as folder_assets lists them (the spec's Asset): one row per file. */
function folderAssetRows(files: Map<string, Buffer>): unknown[] {
  return [...files.keys()].sort().map((file, i) => {
    const slash = file.lastIndexOf('/')
    const zipName = file.slice(slash + 1)
    const type = zipName.match(/\.([a-z_]+)\.json$/)?.[1] ?? 'file'
    return {
      id: 9000 + i,
      name: zipName.replace(/(\.[a-z_]+)?\.json$/, ''),
      type,
      version: 1,
      folder: slash < 0 ? '' : file.slice(0, slash),
      absolute_path: `All projects/${file}`,
      root_folder: false,
      unreachable: false,
      zip_name: zipName,
      checked: true
    }
  })
}

/** A JSON request body, at most 1 MiB. */
async function readSmallBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 1 << 20) throw new Error('body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** The spec's ValidationError: the reason is only in `errors`, by field. */
function validationError(field: string, reason: string): unknown {
  return { message: 'Validation failed', errors: { [field]: [reason] } }
}

const codeSteps = new Map<number, string>()

/**
 * A recipe's code as Workato lists it: a JSON string, here of exactly `bytes` bytes (at least
 * its skeleton), made of steps like a real recipe's and padded in a comment.
 */
function recipeCode(id: number, bytes: number): string {
  let steps = codeSteps.get(bytes)
  if (steps === undefined) {
    const block: unknown[] = []
    let size = 2
    for (let i = 1; size < bytes - 600; i++) {
      const step = {
        number: i,
        provider: 'salesforce',
        name: 'search_sobjects',
        as: `s${i.toString(16).padStart(7, '0')}`,
        keyword: 'action',
        input: {
          sobject_name: 'Account',
          field_list: 'Id, Name, BillingCountry, LastModifiedDate',
          limit: '200'
        },
        extended_output_schema: [{ name: 'Id', type: 'string', label: 'Account ID' }],
        uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      }
      const text = JSON.stringify(step)
      if (size + text.length + 1 > bytes - 600) break
      block.push(step)
      size += text.length + 1
    }
    steps = JSON.stringify(block)
    codeSteps.set(bytes, steps)
  }
  const skeleton = (comment: string): string =>
    `{"number":0,"provider":"clock","name":"scheduled_event","as":"t${id}","keyword":"trigger",` +
    `"input":{"time_unit":"minutes","trigger_every":"5"},"block":${steps},"comment":"${comment}",` +
    `"uuid":"00000000-0000-4000-8000-${String(id).padStart(12, '0').slice(-12)}"}`
  return skeleton('x'.repeat(Math.max(0, bytes - skeleton('').length)))
}

/** One page of a list: `page` from 1, `per_page` up to 100 (Workato's cap). */
function page<T>(url: URL, items: T[]): T[] {
  const number = Math.max(1, Number(url.searchParams.get('page') ?? 1))
  const size = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 100)))
  return items.slice((number - 1) * size, number * size)
}

/**
 * One entry per *.recipe.json of an imported zip, in its order: the `name` its JSON gives, or
 * undefined when it gives none (a hostile or synthetic file still makes a recipe, unnamed).
 */
function importedRecipes(zip: Buffer): Array<string | undefined> {
  let entries: ReturnType<typeof readZip>
  try {
    entries = readZip(zip)
  } catch {
    return []
  }
  return entries
    .filter(e => e.name.endsWith('.recipe.json'))
    .map(e => {
      try {
        const { name } = JSON.parse(e.content.toString('utf8')) as { name?: unknown }
        return typeof name === 'string' && name !== '' ? name : undefined
      } catch {
        return undefined
      }
    })
}

/** A recipe's name as the workspace's lists give it; the id alone for one it does not hold. */
function recipeName(ws: Workspace, recipeId: string): string {
  return ws.recipes?.find(r => String(r.id) === recipeId)?.name ?? `Recipe ${recipeId}`
}
