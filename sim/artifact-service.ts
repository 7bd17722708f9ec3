/**
 * A stand-in for the GitHub Actions artifact service of one workflow run, speaking what
 * @actions/artifact 6 really sends: Twirp JSON calls (CreateArtifact, FinalizeArtifact,
 * ListArtifacts, DeleteArtifact) on ACTIONS_RESULTS_URL, and Azure Block Blob uploads (Put Block,
 * Put Block List) to the signed URL it hands out. Artifacts belong to the run, so a job of a
 * re-run (a new job backend id) sees the names an earlier attempt took, and a second upload of a
 * taken name is refused (409) as GitHub does. Blocks go to disk, so large uploads do not fill memory.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, promises as fs } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { group } from './checked.js'

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/'
export const RUN_BACKEND_ID = 'c4d7a3a1-1111-4aae-887f-30da475f5f1a'
export const JOB_BACKEND_ID = 'a395085e-2222-526b-2ce8-bdc85f692774'

export interface StoredArtifact {
  id: number
  name: string
  jobBackendId: string
  createdAt: string
  mimeType?: string
  expiresAt?: string
  blobFile: string
  blobSize?: number
  blobSha256?: string
  finalized: boolean
  declaredSize?: string
  declaredHash?: string
}

/** A Twirp call's JSON body: the fields this service reads, each of which a caller may leave out. */
type TwirpBody = Partial<Record<string, string>>

export interface RecordedCall {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
}

/** A runtime token with the claim @actions/artifact reads; the client never checks the signature. */
export function runtimeToken(jobBackendId = JOB_BACKEND_ID): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const claims = {
    scp: `Actions.GenericRead Actions.Results:${RUN_BACKEND_ID}:${jobBackendId}`,
    exp: 4102444800
  }
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`
}

export class ArtifactService {
  url = ''
  readonly token = runtimeToken()
  /** Artifacts of the run that were not deleted. */
  readonly artifacts: StoredArtifact[] = []
  readonly deleted: StoredArtifact[] = []
  /** Tokens handed to jobs of this run: job backend id by token. */
  private readonly jobs = new Map<string, string>([[this.token, JOB_BACKEND_ID]])
  readonly calls: RecordedCall[] = []
  /** Answer the next CreateArtifact with this Twirp error instead. */
  failNextCreate?: { status: number; code: string; msg: string }
  private server?: http.Server
  private scratch = ''
  private nextId = 9001

  async start(host = '127.0.0.1'): Promise<this> {
    this.scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'artifact-sim-'))
    this.server = http.createServer((req, res) => {
      this.calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
      this.handle(req, res).catch(error => twirp(res, 500, 'internal', String(error)))
    })
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject)
      this.server!.listen(0, host, () => resolve())
    })
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}/`
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise(resolve => this.server?.close(resolve))
    await fs.rm(this.scratch, { recursive: true, force: true })
  }

  /**
   * The environment a runner gives a step, pointing @actions/artifact here. Another job of the
   * run, or the same job in a re-run, gets a job backend id of its own.
   */
  env(jobBackendId = JOB_BACKEND_ID): Record<string, string> {
    const token = runtimeToken(jobBackendId)
    this.jobs.set(token, jobBackendId)
    return {
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: this.url,
      GITHUB_SERVER_URL: 'https://github.com'
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    if (req.method === 'POST' && url.pathname.startsWith(SERVICE)) {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      const job = this.jobs.get(token)
      if (!job) return twirp(res, 401, 'unauthenticated', 'bad token')
      const body = JSON.parse((await readAll(req)).toString('utf8') || '{}') as TwirpBody
      const method = url.pathname.slice(SERVICE.length)
      // DeleteArtifact names the job that made the artifact (an earlier attempt's, in a re-run).
      const jobOk =
        method === 'DeleteArtifact'
          ? [...this.jobs.values()].some(id => id === body.workflow_job_run_backend_id)
          : body.workflow_job_run_backend_id === job
      if (body.workflow_run_backend_id !== RUN_BACKEND_ID || !jobOk) {
        return twirp(res, 400, 'invalid_argument', 'unknown backend ids')
      }
      if (method === 'CreateArtifact') return this.create(body, job, res)
      if (method === 'FinalizeArtifact') return this.finalize(body, res)
      if (method === 'ListArtifacts') return this.list(body, res)
      if (method === 'DeleteArtifact') return this.delete(body, res)
      return twirp(res, 404, 'bad_route', `no method ${method}`)
    }
    const blob = url.pathname.match(/^\/blob\/(\d+)$/)
    if (req.method === 'PUT' && blob) return this.putBlob(Number(blob[1]), url, req, res)
    twirp(res, 404, 'bad_route', 'not found')
  }

  private create(body: TwirpBody, job: string, res: http.ServerResponse): void {
    if (this.failNextCreate) {
      const { status, code, msg } = this.failNextCreate
      this.failNextCreate = undefined
      return twirp(res, status, code, msg)
    }
    const { name } = body
    if (name === undefined) return twirp(res, 400, 'invalid_argument', 'an artifact needs a name')
    if (this.artifacts.some(a => a.name === name && a.finalized)) {
      return twirp(
        res,
        409,
        'already_exists',
        'an artifact with this name already exists on the workflow run'
      )
    }
    const id = this.nextId++
    const artifact: StoredArtifact = {
      id,
      name,
      jobBackendId: job,
      createdAt: new Date().toISOString(),
      mimeType: body.mime_type,
      expiresAt: body.expires_at,
      blobFile: path.join(this.scratch, `${id}.blob`),
      finalized: false
    }
    this.artifacts.push(artifact)
    const sig = randomBytes(12).toString('base64url')
    sendJson(res, 200, {
      ok: true,
      signed_upload_url: `${this.url}blob/${id}?sv=2023-11-03&sr=b&sp=cw&sig=${sig}`
    })
  }

  private async putBlob(
    id: number,
    url: URL,
    req: http.IncomingMessage,
    res: http.ServerResponse
  ): Promise<void> {
    const artifact = this.artifacts.find(a => a.id === id)
    if (!artifact || !url.searchParams.get('sig') || req.headers.authorization) {
      req.resume()
      res.writeHead(403).end()
      return
    }
    const comp = url.searchParams.get('comp')
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid') ?? ''
      await pipeline(req, createWriteStream(this.blockFile(id, blockId)))
    } else if (comp === 'blocklist') {
      const xml = (await readAll(req)).toString('utf8')
      const ids = [...xml.matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(m =>
        group(m, 1)
      )
      const out = createWriteStream(artifact.blobFile)
      const hash = createHash('sha256')
      let size = 0
      for (const blockId of ids) {
        for await (const chunk of createReadStream(
          this.blockFile(id, blockId)
        ) as AsyncIterable<Buffer>) {
          hash.update(chunk)
          size += chunk.length
          if (!out.write(chunk))
            await new Promise<void>(resolve => out.once('drain', () => resolve()))
        }
        await fs.rm(this.blockFile(id, blockId))
      }
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve()))
      )
      artifact.blobSize = size
      artifact.blobSha256 = hash.digest('hex')
    } else {
      req.resume()
      res.writeHead(400).end()
      return
    }
    res.writeHead(201, {
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2023-11-03',
      'x-ms-request-server-encrypted': 'true',
      ETag: '"0x8D0000000000000"',
      'Last-Modified': new Date().toUTCString(),
      'Content-Length': '0'
    })
    res.end()
  }

  private finalize(body: TwirpBody, res: http.ServerResponse): void {
    const artifact = this.artifacts.find(a => a.name === body.name && !a.finalized)
    if (!artifact) return twirp(res, 404, 'not_found', 'no such artifact to finalize')
    if (artifact.blobSize === undefined || String(artifact.blobSize) !== body.size) {
      return twirp(
        res,
        400,
        'invalid_argument',
        `size ${body.size} does not match the ${artifact.blobSize} bytes uploaded`
      )
    }
    if (body.hash && body.hash !== `sha256:${artifact.blobSha256}`) {
      return twirp(res, 400, 'invalid_argument', 'hash does not match the bytes uploaded')
    }
    artifact.finalized = true
    artifact.declaredSize = body.size
    artifact.declaredHash = body.hash
    sendJson(res, 200, { ok: true, artifact_id: String(artifact.id) })
  }

  /** Finalized artifacts of the run, by name or id (protobuf wrappers arrive as plain JSON values). */
  private list(body: TwirpBody, res: http.ServerResponse): void {
    const found = this.artifacts.filter(
      a =>
        a.finalized &&
        (body.name_filter === undefined || a.name === body.name_filter) &&
        (body.id_filter === undefined || String(a.id) === String(body.id_filter))
    )
    sendJson(res, 200, {
      artifacts: found.map(a => ({
        workflow_run_backend_id: RUN_BACKEND_ID,
        workflow_job_run_backend_id: a.jobBackendId,
        database_id: String(a.id),
        name: a.name,
        size: String(a.blobSize ?? 0),
        created_at: a.createdAt
      }))
    })
  }

  private delete(body: TwirpBody, res: http.ServerResponse): void {
    const artifact = this.artifacts.find(a => a.finalized && a.name === body.name)
    if (!artifact) return twirp(res, 404, 'not_found', `artifact ${body.name} not found`)
    this.artifacts.splice(this.artifacts.indexOf(artifact), 1)
    this.deleted.push(artifact)
    sendJson(res, 200, { ok: true, artifact_id: String(artifact.id) })
  }

  private blockFile(id: number, blockId: string): string {
    return path.join(this.scratch, `${id}.${Buffer.from(blockId).toString('hex')}.block`)
  }
}

async function readAll(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks)
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Twirp errors are always JSON: @actions/artifact retries a body it cannot parse. */
function twirp(res: http.ServerResponse, status: number, code: string, msg: string): void {
  if (res.headersSent) return void res.destroy()
  sendJson(res, status, { code, msg })
}
