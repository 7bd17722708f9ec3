/**
 * The fault matrix: every fault at every endpoint and at the storage host, one cell each, with
 * its expected behaviour written down. Whatever the cell, two things never happen: a second
 * export or import that Workato did not refuse, and bytes imported that differ from the bytes
 * exported. (Every run is also scanned for leaked secrets by the world.)
 *
 * The cells are played in two places: __tests__/workato/fault-matrix.test.ts runs the action in
 * process for every cell but those over TLS, and __tests__/e2e/fault-matrix.test.ts runs the TLS
 * cells through the bundle, since a certificate to trust (NODE_EXTRA_CA_CERTS) is read only when
 * a process starts. Both check a cell with `seen` against `expectedOf`.
 */
import { readdir } from 'node:fs/promises'
import * as net from 'node:net'
import { expect } from '@jest/globals'
import { MANIFEST_ID } from '../../sim/scenario.js'
import type { ActionRun } from '../../sim/runner.js'
import type { Fault, Route as AnyRoute, WorkatoSimulator } from '../../sim/workato.js'
import { errorLines, hasStackTrace, type World } from './world.js'

/** The matrix covers the package routes: the ones a promotion depends on. */
export type Route = Extract<AnyRoute, 'export' | 'import' | 'status' | 'download' | 'storage'>
type Post = 'export' | 'import'

type Expected = { ok: true } | { ok: false; says: RegExp[] }

export interface Cell {
  route: Route
  name: string
  /** Sets the fault up; returns extra inputs for the run. */
  arrange: (world: World) => Promise<Record<string, string> | void> | Record<string, string> | void
  expected: Expected
  /** POSTs to this route that Workato refused (and so may be resent). */
  refusedPosts?: number
  /** No POST reaches Workato at all (connection refused). */
  noPost?: boolean
  tls?: boolean
  /**
   * The cell's waits are the action's own (a quota's window, a Retry-After): played on its clock
   * this many times faster (WORKATO_PROMOTE_CLOCK_SCALE). An hourly quota's window is 18 s even
   * at the 300 ms minute of FAST_RETRIES.
   */
  clockScale?: number
  /**
   * The cell is about the socket timeout: the run gets SOCKET_TIMEOUT_MS instead of the real
   * 60 s. Only these cells: in process the simulator shares the test's event loop, and on a
   * loaded machine a 300 ms timeout fires on answers that are merely late.
   */
  shortSocket?: boolean
}

export const SOCKET_TIMEOUT_MS = 300
const JSON_ROUTES: Route[] = ['export', 'import', 'status']
const CONTENT_ROUTES: Route[] = ['download', 'storage']
const POSTS: Post[] = ['export', 'import']
const isPost = (route: Route): route is Post => (POSTS as Route[]).includes(route)

const step: Record<Route, RegExp> = {
  export: /export of manifest 12/i,
  import: /import into folder 34/i,
  status: /status check of package 24\d/i,
  download: /download of package 240/i,
  storage: /download of package 240/i
}

const fault =
  (route: Route, f: Fault, times = 1) =>
  (w: World) =>
    void w.sim.fault(route, f, times)
const ok: Expected = { ok: true }
const notResent = (route: Route, ...says: RegExp[]): Expected => ({
  ok: false,
  says: [step[route], ...says]
})

async function deadPort(): Promise<string> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise(resolve => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

/** The route before each one, whose request starts an outage of the next one's host. */
const before: Record<'status' | 'download' | 'storage', [Route, 'api' | 'storage']> = {
  status: ['export', 'api'],
  download: ['status', 'api'],
  storage: ['download', 'storage']
}

function cells(): Cell[] {
  const all: Cell[] = []
  const add = (cell: Cell) => all.push(cell)

  // connection refused
  add({
    route: 'export',
    name: 'connection refused (host down)',
    arrange: async () => ({ 'source-host': await deadPort() }),
    expected: {
      ok: false,
      says: [step.export, /the connection was refused/, /after 5 tries/, /source-host/]
    },
    noPost: true
  })
  add({
    route: 'import',
    name: 'connection refused (host down)',
    arrange: async () => ({ 'target-host': await deadPort() }),
    expected: {
      ok: false,
      says: [step.import, /the connection was refused/, /after 5 tries/, /target-host/]
    },
    noPost: true
  })
  for (const route of ['status', 'download', 'storage'] as const) {
    const [previous, host] = before[route]
    add({
      route,
      name: 'connection refused for a moment (restart)',
      arrange: w => void w.sim.refuseAfter(previous, host, 60),
      expected: ok
    })
  }

  // resets and cut-short bodies
  for (const route of JSON_ROUTES) {
    const post = isPost(route)
    add({
      route,
      name: 'reset before the response',
      arrange: fault(route, { kind: 'reset' }),
      expected: post
        ? notResent(route, /the connection was reset/, /not sent again/, /before rerunning/)
        : ok
    })
    add({
      route,
      name: 'reset mid-body',
      arrange: fault(route, { kind: 'reset-mid-body' }),
      expected: post ? notResent(route, /connection was reset|closed early/, /not sent again/) : ok
    })
  }
  add({ route: 'download', name: 'reset mid-body', arrange: directTruncate, expected: ok })
  add({
    route: 'storage',
    name: 'reset mid-body',
    arrange: fault('storage', { kind: 'truncate' }),
    expected: ok
  })
  for (const route of CONTENT_ROUTES) {
    add({
      route,
      name: 'reset before the response',
      arrange: fault(route, { kind: 'reset' }),
      expected: ok
    })
  }

  // slow: past the socket timeout
  for (const route of [...JSON_ROUTES, ...CONTENT_ROUTES]) {
    add({
      route,
      name: 'slow response past the socket timeout',
      arrange: fault(route, { kind: 'hang', ms: SOCKET_TIMEOUT_MS * 4 }),
      shortSocket: true,
      expected: isPost(route) ? notResent(route, /timed out/, /not sent again/) : ok
    })
  }

  // rate limits: always a refusal, so even POSTs are resent
  const tomorrowish = () => new Date(Date.now() + 1000).toUTCString()
  for (const route of [...JSON_ROUTES, ...CONTENT_ROUTES]) {
    const refusedPosts = isPost(route) ? 1 : 0
    add({
      route,
      name: '429 without Retry-After',
      arrange: fault(route, { kind: 'status', status: 429 }),
      expected: ok,
      refusedPosts,
      clockScale: 0.01
    })
    add({
      route,
      name: '429 with Retry-After in seconds',
      arrange: fault(route, { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }),
      expected: ok,
      refusedPosts,
      clockScale: 0.01
    })
    // not on a fast clock: a date a second ahead would be long past on it, the floor waited
    add({
      route,
      name: '429 with Retry-After as an HTTP-date',
      arrange: w =>
        void w.sim.fault(route, {
          kind: 'status',
          status: 429,
          headers: { 'Retry-After': tomorrowish() }
        }),
      expected: ok,
      refusedPosts
    })
  }

  // server errors
  for (const status of [500, 502, 503, 504]) {
    for (const route of [...JSON_ROUTES, ...CONTENT_ROUTES]) {
      add({
        route,
        name: `${status}`,
        arrange: fault(route, { kind: 'status', status }),
        expected: isPost(route) ? notResent(route, new RegExp(`HTTP ${status}`), /try again/) : ok
      })
    }
  }

  // bodies that are not what they should be
  for (const route of JSON_ROUTES) {
    const post = isPost(route)
    add({
      route,
      name: '200 with a body that is not JSON',
      arrange: fault(route, { kind: 'text' }),
      expected: post ? notResent(route, /not JSON \(HTTP 200, text\/plain\)/) : ok
    })
    add({
      route,
      name: 'an HTML error page from a proxy',
      arrange: fault(route, { kind: 'html' }),
      expected: post ? notResent(route, /not JSON \(HTTP 200, text\/html\)/, /proxy/) : ok
    })
    add({
      route,
      name: 'JSON without id',
      arrange: fault(route, { kind: 'json', body: { status: 'completed' } }),
      expected: { ok: false, says: [step[route], /has no package id/, /refusing to guess/] }
    })
    add({
      route,
      name: 'JSON without status',
      arrange: fault(route, { kind: 'json', body: { id: 240 } }),
      expected: { ok: false, says: [step[route], /has no status/] }
    })
  }
  for (const route of CONTENT_ROUTES) {
    add({
      route,
      name: 'an HTML error page instead of the zip',
      arrange: direct(route, { kind: 'html' }),
      expected: ok
    })
    add({
      route,
      name: 'JSON instead of the zip',
      arrange: direct(route, { kind: 'json', body: { message: 'hi' } }),
      expected: ok
    })
    add({
      route,
      name: 'a body longer than Content-Length',
      arrange: direct(route, { kind: 'overlong' }),
      expected: ok
    })
  }
  add({
    route: 'download',
    name: 'a body shorter than Content-Length',
    arrange: directTruncate,
    expected: ok
  })
  add({
    route: 'storage',
    name: 'a body shorter than Content-Length',
    arrange: fault('storage', { kind: 'truncate' }),
    expected: ok
  })

  // redirects
  for (const route of JSON_ROUTES) {
    add({
      route,
      name: 'a redirect loop',
      arrange: w =>
        void w.sim.fault(route, { kind: 'redirect', location: '/api/packages/240' }, 10),
      expected: { ok: false, says: [step[route], /HTTP 302/] }
    })
    add({
      route,
      name: 'a redirect from https to http',
      arrange: w =>
        void w.sim.fault(route, {
          kind: 'redirect',
          location: w.sim.storageUrl.replace('https:', 'http:')
        }),
      expected: { ok: false, says: [step[route], /HTTP 302/] },
      tls: true
    })
  }
  add({
    route: 'download',
    name: 'a redirect loop',
    arrange: w =>
      void w.sim.fault(
        'download',
        { kind: 'redirect', location: '/api/packages/240/download' },
        10
      ),
    expected: { ok: false, says: [step.download, /more than 5 redirects/] }
  })
  add({
    route: 'storage',
    name: 'a redirect loop',
    arrange: fault('storage', { kind: 'redirect', location: '/again' }, 10),
    expected: { ok: false, says: [step.storage, /more than 5 redirects/] }
  })
  for (const route of CONTENT_ROUTES) {
    add({
      route,
      name: 'a redirect from https to http',
      arrange: w =>
        void w.sim.fault(route, {
          kind: 'redirect',
          location: `${w.sim.storageUrl.replace('https:', 'http:')}/p.zip`
        }),
      expected: {
        ok: false,
        says: [step[route], /redirect to http:\/\/ refused: only https is followed/]
      },
      tls: true
    })
  }
  return all
}

function direct(route: Route, f: Fault) {
  return (w: World) => {
    if (route === 'download') w.sim.downloadMode = 'direct'
    w.sim.fault(route, f)
  }
}

function directTruncate(w: World) {
  w.sim.downloadMode = 'direct'
  w.sim.fault('download', { kind: 'truncate' })
}

/** Every cell; each test file plays its share (a cell's `tls` says which). */
export const matrix = cells()

/** The cells as test.each rows: route, name, cell. */
export const rows = (of: Cell[]) => of.map(c => [c.route, c.name, c] as const)

const posts = (sim: WorkatoSimulator, kind: Post) =>
  sim.requests.filter(r => r.method === 'POST' && r.url.startsWith(`/api/packages/${kind}/`)).length

/** Sets the cell's fault up and runs the action once (its socket timeout short if it is about that). */
export async function play(world: World, cell: Cell): Promise<ActionRun> {
  const extra = (await cell.arrange(world)) ?? {}
  const env: Record<string, string> = {}
  if (cell.clockScale) env.WORKATO_PROMOTE_CLOCK_SCALE = String(cell.clockScale)
  if (cell.shortSocket) env.WORKATO_PROMOTE_SOCKET_TIMEOUT_MS = String(SOCKET_TIMEOUT_MS)
  return world.run(extra, { env })
}

/** What a run of a cell showed, as `expectedOf` words it. */
export interface Seen {
  code: number | null
  outcome: string | undefined
  errors: string[]
  /** POSTs to each route, refused ones included. */
  posts: Record<Post, number>
  /** Whether each import Workato took holds the bytes exported. */
  imported: boolean[]
  stackTrace: boolean
  /** Files in the runner's temporary folder that are half-written. */
  partial: string[]
}

export async function seen(sim: WorkatoSimulator, run: ActionRun): Promise<Seen> {
  const exported = sim.workspace('dev').manifests[MANIFEST_ID]
  return {
    code: run.code,
    outcome: run.outputs.outcome,
    errors: errorLines(run),
    posts: { export: posts(sim, 'export'), import: posts(sim, 'import') },
    imported: sim.imports.map(r => Buffer.isBuffer(exported) && r.bytes?.equals(exported) === true),
    stackTrace: hasStackTrace(run),
    partial: (await readdir(run.runnerTemp)).filter(f => f.includes('partial'))
  }
}

/**
 * POSTs a cell's run sends: one export and one import, but none to a route whose host refuses
 * connections (the export still goes when only the target host is down), a second one only where
 * Workato refused the first, and no import after a failure before it.
 */
function expectedPosts(cell: Cell): Record<Post, number> {
  const atRoute = cell.noPost ? 0 : 1 + (cell.refusedPosts ?? 0)
  const failedEarlier = !cell.expected.ok && cell.route !== 'import'
  return {
    export: cell.route === 'export' ? atRoute : 1,
    import: cell.route === 'import' ? atRoute : failedEarlier ? 0 : 1
  }
}

/** What every run of the cell must show (its error line is checked against `says` as well). */
export function expectedOf(cell: Cell): Omit<Seen, 'errors'> & { errors: unknown[] } {
  const imports = cell.expected.ok ? 1 : 0
  return {
    code: cell.expected.ok ? 0 : 1,
    outcome: cell.expected.ok ? 'succeeded' : 'failed',
    errors: cell.expected.ok ? [] : [expect.any(String)],
    posts: expectedPosts(cell),
    imported: Array<boolean>(imports).fill(true),
    stackTrace: false,
    partial: []
  }
}

/** The words the cell's one error line must hold (none when it succeeds). */
export const says = (cell: Cell): RegExp[] => (cell.expected.ok ? [] : cell.expected.says)

/** The POSTs the matrix allows at most: one of each, plus those Workato refused. */
export const allowedPosts = (cell: Cell): Record<Post, number> => ({
  export: 1 + (cell.route === 'export' ? (cell.refusedPosts ?? 0) : 0),
  import: 1 + (cell.route === 'import' ? (cell.refusedPosts ?? 0) : 0)
})

/** A package file appears only complete and checked: in the runner's folder iff it is an output. */
export async function packageFiles(
  run: ActionRun
): Promise<{ files: string[]; expected: string[] }> {
  return {
    files: await readdir(run.runnerTemp),
    expected: run.outputs['package-path'] ? ['workato-package-12.zip'] : []
  }
}

/**
 * Plays `cell` once and checks what it promises: never a second export or import unless Workato
 * refused the first; the verdict, the POSTs sent, the bytes imported, no stack; the error's words;
 * nothing half-written beside the package.
 */
export async function expectCell(world: World, cell: Cell): Promise<void> {
  const run = await play(world, cell)
  const allowed = allowedPosts(cell)
  const got = await seen(world.sim, run)
  expect(got.posts.export).toBeLessThanOrEqual(allowed.export)
  expect(got.posts.import).toBeLessThanOrEqual(allowed.import)
  expect(got).toEqual(expectedOf(cell))
  for (const said of says(cell)) expect(errorLines(run)[0]).toMatch(said)
  const { files, expected } = await packageFiles(run)
  expect(files).toEqual(expected)
}
