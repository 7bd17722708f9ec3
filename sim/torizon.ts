/**
 * A local Torizon Cloud: the OAuth2 token endpoint (client credentials, expiring tokens) on one
 * host, and on another the packages API as ../shared/torizon-api.md describes it: POST /packages
 * storing the bytes (409 on an existing name and version), GET /packages with its exact and
 * paging filters, POST /updates. Faults come from http-faults.ts, 420 + Retry-After among them.
 *
 * POST /updates answers as the spec's `UpdateCreateResult` does: 201 with the devices of the fleets
 * that took the assignment and those that did not (`devices`; `updateAnswer` plays the 200
 * `{updateId}` this simulator used to invent). Where Torizon's published spec is silent, this
 * simulator chooses, and says so at each place: the words (`code`, `msg`) of its 400/401/404/409
 * bodies, and whether a 409 is sent before or after the body is read.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import * as http from 'node:http'
import { fail, FaultQueue, Hosts, json, playAnswer, type Fault } from './http-faults.js'

export type TorizonRoute = 'token' | 'upload' | 'list' | 'updates' | 'assignment'

export const TOKEN_PATH = '/auth/realms/ota-users/protocol/openid-connect/token'
export const API_PATH = '/api/v2beta'
/** The newest spec's path: the same packages and updates calls (`fleets` deprecated there). */
export const API_V2_PATH = '/api/v2'
/** The open-source repository server's defaults (../shared/torizon-api.md, "Sizes"). */
export const UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024
export const UPLOAD_TIMEOUT_MS = 60_000

export interface TorizonOptions {
  clientId: string
  clientSecret: string
  /** expires_in of each token, in seconds (Keycloak's default is 300). */
  tokenLifetimeS?: number
  /** Fleet UUIDs of the account; a roll-out to any other is refused (404). */
  fleets?: string[]
  /**
   * The devices of each fleet (default: two per fleet, each taking any package). A device whose
   * hardwareId is not one of the package's, or with an update pending, is in `notAffected`.
   */
  devices?: Record<string, SimDevice[]>
}

export interface SimDevice {
  deviceUuid: string
  deviceId: string
  name: string
  hardwareId?: string
  /** Another package's update is pending: the device refuses any new one. */
  pending?: boolean
}

export interface StoredPackage {
  name: string
  version: string
  packageId: string
  targetFormat: string
  hardwareIds: string[]
  bytes: Buffer
  sha256: string
  createdAt: string
}

export interface SeenRequest {
  host: 'auth' | 'api'
  method: string
  path: string
  query: URLSearchParams
  authorization?: string
  contentLength?: string
  contentType?: string
}

export class TorizonSimulator {
  authUrl = ''
  apiUrl = ''
  readonly packages: StoredPackage[] = []
  readonly updates: Array<{ packageIds: unknown; fleets: unknown }> = []
  /**
   * How POST /updates answers: 'documented', 201 {affected, notAffected} as Torizon's spec and
   * recorded answers say; 'update-id', the 200 {updateId} this simulator used to invent (to show
   * that an answer naming no devices is a failure, not a success).
   */
  updateAnswer: 'documented' | 'update-id' = 'documented'
  /** The status of a roll-out's answer: 201 as recorded against app.torizon.io, 200 as the spec says. */
  updateStatus: 200 | 201 = 201
  /**
   * Where a not-affected device's fields are: 'nested' under `device` as recorded answers have
   * them, or 'flat' beside `ecuErrors` as the spec's generated schema (SimpleDeviceNotAffectedInfo).
   */
  notAffectedShape: 'nested' | 'flat' = 'nested'
  /**
   * Refuse every roll-out with this status: 416, which the spec declares on POST /updates
   * (RangeNotSatisfiableRepr) without saying when; the simulator's reading is too many devices.
   */
  updateRefusal?: 416
  /**
   * How a device's assignment names its package: 'package-id', the target file name
   * `name-version`; 'hash-only', another file name and `hashes` as the bare sha256 string (the
   * spec's type), so only the hash tells.
   */
  assignmentNames: 'package-id' | 'hash-only' = 'package-id'
  /** Pending assignments, by device UUID: what each roll-out assigned and no device installed yet. */
  readonly assignments = new Map<string, string[]>()
  /** The devices of each fleet, as `options.devices`: a test may change them between runs. */
  devices: Record<string, SimDevice[]>
  readonly requests: SeenRequest[] = []
  readonly issued: string[] = []
  /** Delays reading each chunk of an upload by this long (a slow link: long uploads, cancels). */
  uploadChunkDelayMs = 0
  /**
   * Answer 409 as soon as the query names an existing version, before reading the body, and
   * close the connection: the spec does not say which Torizon does, and a client still sending
   * may then see a reset instead of the answer.
   */
  conflictBeforeBody = false
  /**
   * The other reading of the list's filters: packages Toradex publishes (delegated targets) are
   * listed whatever name and version were asked for.
   */
  listsDelegatedAnyway = false
  /**
   * The next N uploads are stored, then the connection is dropped before the answer: the
   * client cannot know the package arrived.
   */
  loseAnswers = 0
  /**
   * A server that names packages its own way (broken, or hostile): the packageId it stores and
   * answers with. The spec says it is always `name-version`.
   */
  packageIdOf?: (name: string, version: string) => string
  /**
   * The token endpoint refuses every request with this status and quotes the form body it was
   * sent in its error_description, as a gateway or a debug build of Keycloak may.
   */
  tokenRefusalEchoesBody?: 400 | 401
  /**
   * The repository's targets key is offline (Toradex's advice for production): every upload is
   * read and answered 412 as the Uptane repository server does; nothing is stored.
   */
  offlineKeys = false
  /** A Content-Length over this is refused before the body is read, as `oversize` says. */
  maxUploadBytes = UPLOAD_LIMIT_BYTES
  /**
   * How a body over `maxUploadBytes` is refused: 'answer', 413 at once while the body is drained
   * (a server that closes gracefully); 'cut', the connection closed unanswered (a proxy, or a
   * server whose 413 is lost to the reset when it closes while the client is still sending).
   */
  oversize: 'answer' | 'cut' = 'answer'
  /** An upload still arriving after this long is answered 598 and the connection closed. */
  uploadTimeoutMs = UPLOAD_TIMEOUT_MS
  /**
   * The answer to a 403-worthy token: the `credentials.zip` client's, scoped to the repository.
   * Its tokens upload and list, and are refused on /updates (../shared/torizon-api.md, "Tokens").
   */
  repositoryScoped = false

  private readonly faults = new FaultQueue<TorizonRoute>()
  private readonly hosts = new Hosts<'auth' | 'api'>()
  private readonly tokens = new Map<string, number>()
  /** The API paths served: v2beta, the default, and v2. */
  readonly apiPaths = [API_PATH, API_V2_PATH]

  constructor(readonly options: TorizonOptions) {
    this.devices = { ...options.devices }
  }

  async start(): Promise<this> {
    const auth = http.createServer(
      (req, res) => void this.handleAuth(req, res).catch(e => fail(res, e))
    )
    const api = http.createServer(
      (req, res) => void this.handleApi(req, res).catch(e => fail(res, e))
    )
    this.authUrl = `http://127.0.0.1:${await this.hosts.listen('auth', auth, '127.0.0.1')}`
    this.apiUrl = `http://127.0.0.1:${await this.hosts.listen('api', api, '127.0.0.1')}`
    return this
  }

  async stop(): Promise<void> {
    await this.hosts.close()
  }

  get tokenUrl(): string {
    return `${this.authUrl}${TOKEN_PATH}`
  }

  get baseUrl(): string {
    return `${this.apiUrl}${API_PATH}`
  }

  /** Every device installs what it was assigned: nothing is pending any more. */
  install(): void {
    this.assignments.clear()
  }

  fault(route: TorizonRoute, fault: Fault, times = 1): this {
    this.faults.add(route, fault, times)
    return this
  }

  /** Torizon's rate limit: HTTP 420 with Retry-After (seconds) and the X-RateLimit headers. */
  rateLimit(route: TorizonRoute, times = 1, retryAfterS = 1): this {
    return this.fault(
      route,
      {
        kind: 'status',
        status: 420,
        headers: {
          'Retry-After': String(retryAfterS),
          'X-RateLimit-Limit': '60',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(retryAfterS)
        },
        body: JSON.stringify({ code: 'too_many_requests', msg: 'Rate limit exceeded' })
      },
      times
    )
  }

  /** Every upload request that reached the API (POST /packages), stored or not. */
  uploads(): SeenRequest[] {
    return this.requests.filter(
      r => r.method === 'POST' && this.apiPaths.some(p => r.path === `${p}/packages`)
    )
  }

  pendingFaults(): number {
    return this.faults.pending()
  }

  /** Puts a package there as if an earlier run had published it. */
  seed(pkg: {
    name: string
    version: string
    bytes: Buffer
    hardwareIds?: string[]
    targetFormat?: string
  }): StoredPackage {
    const stored = {
      name: pkg.name,
      version: pkg.version,
      packageId: this.packageIdOf?.(pkg.name, pkg.version) ?? `${pkg.name}-${pkg.version}`,
      targetFormat: pkg.targetFormat ?? 'BINARY',
      hardwareIds: pkg.hardwareIds ?? ['docker-compose'],
      bytes: pkg.bytes,
      sha256: createHash('sha256').update(pkg.bytes).digest('hex'),
      createdAt: new Date().toISOString()
    }
    this.packages.push(stored)
    return stored
  }

  /** Makes every token issued so far expire now (a long upload outlived them). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0)
  }

  private see(host: 'auth' | 'api', req: http.IncomingMessage, url: URL): void {
    this.requests.push({
      host,
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      contentLength: req.headers['content-length'],
      contentType: req.headers['content-type']
    })
  }

  private async handleAuth(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.authUrl)
    this.see('auth', req, url)
    if (req.method !== 'POST' || url.pathname !== TOKEN_PATH) {
      return json(res, 404, { error: 'not_found' })
    }
    const answer = this.faults.takeAnswer('token')
    if (answer) return playAnswer(answer, req, res)
    const body = (await readBody(req)).toString('utf8')
    if (this.tokenRefusalEchoesBody) {
      return json(res, this.tokenRefusalEchoesBody, {
        error: 'invalid_request',
        error_description: `Could not read the request: ${body}`
      })
    }
    const form = new URLSearchParams(body)
    // Keycloak's answers (RFC 6749, 5.2): 400 for a wrong grant, 401 for wrong client credentials.
    if (form.get('grant_type') !== 'client_credentials') {
      return json(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'Unsupported grant_type'
      })
    }
    if (
      form.get('client_id') !== this.options.clientId ||
      form.get('client_secret') !== this.options.clientSecret
    ) {
      return json(res, 401, {
        error: 'unauthorized_client',
        error_description: 'Invalid client or Invalid client credentials'
      })
    }
    const lifetime = this.options.tokenLifetimeS ?? 300
    const token = `eyJ${randomBytes(48).toString('base64url')}`
    this.tokens.set(token, Date.now() + lifetime * 1000)
    this.issued.push(token)
    json(res, 200, {
      access_token: token,
      expires_in: lifetime,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'profile email'
    })
  }

  private async handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiUrl)
    this.see('api', req, url)
    const route = apiRoute(req.method ?? '', url.pathname, this.apiPaths)
    // Torizon's answer to an unknown path is not documented; 404 with its error shape.
    if (!route)
      return json(res, 404, errorRepr('not_found', 'The requested resource could not be found.'))
    const answer = this.faults.takeAnswer(route)
    if (answer) return playAnswer(answer, req, res)
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const expiresAt = bearer ? this.tokens.get(bearer) : undefined
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      req.resume()
      // Not documented: the words of Torizon's 401.
      return json(
        res,
        401,
        errorRepr('unauthorized', 'The access token is missing, invalid or expired')
      )
    }
    if (route === 'updates' && this.repositoryScoped) {
      req.resume()
      // Not documented: the words of this 403.
      return json(
        res,
        403,
        errorRepr('forbidden', 'The access token does not grant access to this resource')
      )
    }
    res.setHeader('X-RateLimit-Limit', '60')
    res.setHeader('X-RateLimit-Remaining', '59')
    res.setHeader('X-RateLimit-Reset', '60')
    if (route === 'upload') return this.upload(req, res, url.searchParams)
    if (route === 'list') return this.list(res, url.searchParams)
    if (route === 'assignment') return this.assignment(res, url.pathname)
    return this.update(req, res)
  }

  /** GET /devices/uptane/{deviceUuid}/assignment: the device's pending assignment, if any. */
  private assignment(res: http.ServerResponse, pathname: string): void {
    const uuid = decodeURIComponent(pathname.split('/').at(-2) ?? '')
    const known =
      Object.values(this.devices)
        .flat()
        .find(d => d.deviceUuid === uuid) ?? this.defaultDevice(uuid)
    if (!known) return json(res, 404, errorRepr('missing_entity', 'Device not found'))
    const ids = this.assignments.get(uuid) ?? (known.pending ? ['other-package-0.9.0'] : [])
    if (ids.length === 0) return json(res, 200, [])
    const targets: Record<string, unknown> = {}
    for (const id of ids) {
      const stored = this.packages.find(p => p.packageId === id)
      const sha256 = stored?.sha256 ?? createHash('sha256').update(id).digest('hex')
      const named = this.assignmentNames === 'package-id'
      targets[`${known.deviceId}-ecu`] = {
        image: {
          filepath: named ? id : `${sha256.slice(0, 12)}.bin`,
          fileinfo: { hashes: named ? { sha256 } : sha256, length: stored?.bytes.length ?? 0 }
        },
        uri: null,
        createdAt: '2026-01-01T00:00:00Z'
      }
    }
    json(res, 200, [
      { correlationId: `urn:here-ota:mtu:${randomUUID()}`, inFlight: false, targets }
    ])
  }

  private defaultDevice(uuid: string): SimDevice | undefined {
    for (const fleet of this.options.fleets ?? []) {
      const found = this.devicesOf(fleet).find(d => d.deviceUuid === uuid)
      if (found) return found
    }
    return undefined
  }

  private async upload(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    query: URLSearchParams
  ): Promise<void> {
    const name = query.get('name')
    const version = query.get('version')
    const targetFormat = query.get('targetFormat')
    const missing = [
      ['name', name],
      ['version', version],
      ['targetFormat', targetFormat]
    ].find(([, v]) => !v)
    if (missing) {
      req.resume()
      return json(
        res,
        400,
        badRequest(`Request is missing required query parameter '${missing[0]}'`)
      )
    }
    if (targetFormat !== 'BINARY' && targetFormat !== 'OSTREE') {
      req.resume()
      return json(res, 400, badRequest(`'${targetFormat}' is not a valid TargetFormat`))
    }
    if (req.headers['content-length'] === undefined) {
      req.resume()
      return json(res, 400, badRequest('Content-Length header is required'))
    }
    if (Number(req.headers['content-length']) > this.maxUploadBytes) {
      if (this.oversize === 'cut') return void req.socket.destroy()
      // Answered at once, the connection kept until the body is drained: closing it while the
      // client still sends would reset it, and the client's kernel would drop the answer.
      const text = JSON.stringify(
        errorRepr(
          'request_entity_too_large',
          `The request entity is larger than ${this.maxUploadBytes} bytes`
        )
      )
      res.writeHead(413, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        Connection: 'close'
      })
      res.write(text)
      req.on('end', () => res.end()).resume()
      return
    }
    const bytes = await readBody(req, this.uploadChunkDelayMs, this.uploadTimeoutMs)
    if (bytes === 'timed out') {
      res.once('finish', () => req.socket.destroy())
      // 598 is what the repository server's HTTP layer answers when a request outlives its timeout.
      return json(
        res,
        598,
        errorRepr('request_timeout', 'The server was not able to produce a timely response')
      )
    }
    if (this.offlineKeys) {
      return json(
        res,
        412,
        errorRepr('role_keys_not_found', undefined, 'The targets key(s) for this repo are offline')
      )
    }
    if (bytes.length !== Number(req.headers['content-length'])) {
      return json(res, 400, badRequest('The body does not match its Content-Length'))
    }
    // Not documented: whether Torizon answers 409 before or after reading the body; after, here.
    if (this.packages.some(p => p.name === name && p.version === version)) {
      return json(res, 409, conflict(name, version))
    }
    const stored = this.seed({
      name: name as string,
      version: version as string,
      bytes,
      targetFormat,
      hardwareIds: query.getAll('hardwareId')
    })
    if (this.loseAnswers > 0) {
      this.loseAnswers--
      return void req.socket.destroy()
    }
    json(res, 200, packageJson(stored))
  }

  private list(res: http.ServerResponse, query: URLSearchParams): void {
    const offset = Number(query.get('offset') ?? 0)
    const limit = Number(query.get('limit') ?? 50)
    const matching = [...(this.listsDelegatedAnyway ? DELEGATED : []), ...this.packages].filter(
      p =>
        DELEGATED.includes(p) ||
        ((!query.has('name') || p.name === query.get('name')) &&
          (!query.has('version') || p.version === query.get('version')) &&
          (!query.has('nameContains') || p.name.includes(query.get('nameContains') ?? '')))
    )
    json(res, 200, {
      values: matching.slice(offset, offset + limit).map(packageJson),
      total: matching.length,
      offset,
      limit
    })
  }

  private async update(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: { packageIds?: unknown; fleets?: unknown }
    try {
      body = JSON.parse((await readBody(req)).toString('utf8')) as typeof body
    } catch {
      return json(res, 400, badRequest('The request content was malformed'))
    }
    const ids = Array.isArray(body.packageIds) ? body.packageIds : []
    const fleets = Array.isArray(body.fleets) ? body.fleets : []
    // Not documented: how Torizon refuses an unknown package or fleet; 404 here.
    if (ids.length === 0 || ids.some(id => !this.packages.some(p => p.packageId === id))) {
      return json(res, 404, errorRepr('missing_entity', 'Package not found'))
    }
    if (fleets.some(f => !(this.options.fleets ?? []).includes(String(f)))) {
      return json(res, 404, errorRepr('missing_entity', 'Fleet not found'))
    }
    if (this.updateRefusal) {
      return json(
        res,
        this.updateRefusal,
        errorRepr('range_not_satisfiable', 'Too many devices in one update')
      )
    }
    this.updates.push({ packageIds: body.packageIds, fleets: body.fleets })
    if (this.updateAnswer === 'update-id') return json(res, 200, { updateId: randomUUID() })
    const hardware = new Set(
      this.packages.filter(p => ids.includes(p.packageId)).flatMap(p => p.hardwareIds)
    )
    const affected: unknown[] = []
    const notAffected: unknown[] = []
    const refused = (device: Record<string, string>, ecuErrors: Record<string, unknown>) =>
      notAffected.push(
        this.notAffectedShape === 'nested' ? { device, ecuErrors } : { ...device, ecuErrors }
      )
    for (const fleet of fleets.map(String)) {
      for (const d of this.devicesOf(fleet)) {
        const device = { deviceUuid: d.deviceUuid, deviceId: d.deviceId, name: d.name }
        if (d.hardwareId && !hardware.has(d.hardwareId)) {
          refused(device, {
            [`${d.deviceId}-ecu`]: {
              code: 'hardware_id_mismatch',
              description: `The ECU's hardware ID ${d.hardwareId} is not one of the package's`
            }
          })
        } else if (d.pending || this.assignments.has(d.deviceUuid)) {
          refused(device, {
            [`${d.deviceId}-ecu`]: {
              code: 'update_already_pending',
              description: 'An update is already assigned to this ECU'
            }
          })
        } else {
          affected.push(device)
          this.assignments.set(d.deviceUuid, ids.map(String))
        }
      }
    }
    json(res, this.updateStatus, { affected, notAffected })
  }

  private devicesOf(fleet: string): SimDevice[] {
    return (
      this.devices[fleet] ??
      [1, 2].map(n => ({
        deviceUuid: `${fleet.slice(0, 8)}-device-${n}`,
        deviceId: `verdin-${fleet.slice(0, 4)}-${n}`,
        name: `Verdin ${n} of ${fleet.slice(0, 8)}`
      }))
    )
  }
}

/** Packages Toradex publishes, as the list shows them beside an account's own. */
const DELEGATED: StoredPackage[] = [
  { name: 'acme-app', version: '1.4.0-rc1' },
  { name: 'torizon-core-docker', version: '1.4.0' }
].map(p => ({
  ...p,
  packageId: `${p.name}-${p.version}`,
  targetFormat: 'OSTREE',
  hardwareIds: ['verdin-imx8mp'],
  bytes: Buffer.from(p.name),
  sha256: createHash('sha256').update(p.name).digest('hex'),
  createdAt: '2026-01-01T00:00:00Z'
}))

function apiRoute(method: string, pathname: string, served: string[]): TorizonRoute | undefined {
  const base = served.find(p => pathname.startsWith(`${p}/`))
  if (base === undefined) return undefined
  const rest = pathname.slice(base.length)
  if (rest === '/packages') {
    if (method === 'POST') return 'upload'
    if (method === 'GET') return 'list'
  }
  if (rest === '/updates' && method === 'POST') return 'updates'
  if (method === 'GET' && /^\/devices\/uptane\/[^/]+\/assignment$/.test(rest)) return 'assignment'
  return undefined
}

/** Torizon's ConflictRepr; its code and words are not published, these are the simulator's. */
function conflict(name: string | null, version: string | null): Record<string, string> {
  return {
    code: 'conflicting_entity',
    msg: 'Entity already exists',
    description: `A package named ${name} with version ${version} already exists`,
    errorId: randomUUID()
  }
}

function badRequest(msg: string): Record<string, string> {
  return errorRepr('invalid_entity', msg)
}

/** Torizon's error shape (BadRequestRepr and kin): a code, words, and an errorId that is a UUID. */
function errorRepr(code: string, msg?: string, description?: string): Record<string, string> {
  return {
    code,
    ...(msg === undefined ? {} : { msg }),
    ...(description === undefined ? {} : { description }),
    errorId: randomUUID()
  }
}

function packageJson(p: StoredPackage): Record<string, unknown> {
  return {
    name: p.name,
    version: p.version,
    packageId: p.packageId,
    size: p.bytes.length,
    hashes: { sha256: p.sha256 },
    packageSource: 'targets.json',
    pkgType: p.targetFormat,
    hardwareIds: p.hardwareIds,
    createdAt: p.createdAt,
    uri: null,
    comment: null
  }
}

/**
 * The whole request body; each chunk read `delayMs` after the last (a slow link). With a
 * `timeoutMs`, a body still arriving after that long is 'timed out' (the rest left unread).
 */
async function readBody(req: http.IncomingMessage, delayMs?: number): Promise<Buffer>
async function readBody(
  req: http.IncomingMessage,
  delayMs: number,
  timeoutMs: number
): Promise<Buffer | 'timed out'>
async function readBody(
  req: http.IncomingMessage,
  delayMs = 0,
  timeoutMs = Infinity
): Promise<Buffer | 'timed out'> {
  const reading = (async () => {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(chunk as Buffer)
      if (delayMs > 0) await new Promise(resolve => setTimeout(resolve, delayMs).unref())
    }
    return Buffer.concat(chunks)
  })()
  if (!Number.isFinite(timeoutMs)) return reading
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'timed out'>(resolve => {
    timer = setTimeout(() => resolve('timed out'), timeoutMs).unref()
  })
  // a body abandoned at the time limit ends with the connection; its reader's error is moot
  reading.catch(() => undefined)
  try {
    return await Promise.race([reading, late])
  } finally {
    clearTimeout(timer)
  }
}
