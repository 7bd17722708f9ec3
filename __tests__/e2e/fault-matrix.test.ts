/**
 * The fault matrix: every fault at every endpoint and at the storage host, one test per cell,
 * each with its expected behaviour written down. Whatever the cell, two things never happen: a
 * second export or import that Workato did not refuse, and bytes imported that differ from the
 * bytes exported. (Every run is also scanned for leaked secrets by the world.)
 */
import { readdir } from 'node:fs/promises'
import * as net from 'node:net'
import { afterEach, describe, expect, test } from '@jest/globals'
import { MANIFEST_ID } from '../../sim/scenario.js'
import type { Fault, Route as AnyRoute, WorkatoSimulator } from '../../sim/workato.js'

/** The matrix covers the package routes: the ones a promotion depends on. */
type Route = Extract<AnyRoute, 'export' | 'import' | 'status' | 'download' | 'storage'>
import { errorLines, hasStackTrace, startWorld, type World } from './world.js'

type Expected = { ok: true } | { ok: false; says: RegExp[] }

interface Cell {
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
}

const SOCKET_TIMEOUT_MS = 300
const JSON_ROUTES: Route[] = ['export', 'import', 'status']
const CONTENT_ROUTES: Route[] = ['download', 'storage']
const POSTS: Array<'export' | 'import'> = ['export', 'import']

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
const before: Partial<Record<Route, [Route, 'api' | 'storage']>> = {
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
  for (const route of ['status', 'download', 'storage'] as Route[]) {
    add({
      route,
      name: 'connection refused for a moment (restart)',
      arrange: w => void w.sim.refuseAfter(before[route]![0], before[route]![1], 60),
      expected: ok
    })
  }

  // resets and cut-short bodies
  for (const route of JSON_ROUTES) {
    const post = (POSTS as Route[]).includes(route)
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
    const post = (POSTS as Route[]).includes(route)
    add({
      route,
      name: 'slow response past the socket timeout',
      arrange: fault(route, { kind: 'hang', ms: SOCKET_TIMEOUT_MS * 4 }),
      expected: post ? notResent(route, /timed out/, /not sent again/) : ok
    })
  }

  // rate limits: always a refusal, so even POSTs are resent
  const tomorrowish = () => new Date(Date.now() + 1000).toUTCString()
  for (const route of [...JSON_ROUTES, ...CONTENT_ROUTES]) {
    const refusedPosts = (POSTS as Route[]).includes(route) ? 1 : 0
    add({
      route,
      name: '429 without Retry-After',
      arrange: fault(route, { kind: 'status', status: 429 }),
      expected: ok,
      refusedPosts
    })
    add({
      route,
      name: '429 with Retry-After in seconds',
      arrange: fault(route, { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }),
      expected: ok,
      refusedPosts
    })
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
      const post = (POSTS as Route[]).includes(route)
      add({
        route,
        name: `${status}`,
        arrange: fault(route, { kind: 'status', status }),
        expected: post ? notResent(route, new RegExp(`HTTP ${status}`), /try again/) : ok
      })
    }
  }

  // bodies that are not what they should be
  for (const route of JSON_ROUTES) {
    const post = (POSTS as Route[]).includes(route)
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

const posts = (sim: WorkatoSimulator, kind: 'export' | 'import') =>
  sim.requests.filter(r => r.method === 'POST' && r.url.startsWith(`/api/packages/${kind}/`)).length

let world: World | undefined
afterEach(async () => {
  await world?.stop()
  world = undefined
})

const matrix = cells()

describe('fault matrix', () => {
  test('covers every endpoint and the storage host', () => {
    const routes = new Set(matrix.map(c => c.route))
    expect([...routes].sort()).toEqual(['download', 'export', 'import', 'status', 'storage'])
    expect(matrix.length).toBeGreaterThan(80)
    const survived = matrix.filter(c => c.expected.ok).length
    console.log(
      `fault matrix: ${matrix.length} cells; ${survived} retried and succeeded, ` +
        `${matrix.length - survived} failed cleanly with a message`
    )
  })

  test.each(matrix.map(c => [c.route, c.name, c] as const))(
    '%s: %s',
    async (route, _name, cell) => {
      world = await startWorld({ tls: cell.tls })
      const extra = (await cell.arrange(world)) ?? {}
      const run = await world.run(extra, {
        env: { WORKATO_PROMOTE_SOCKET_TIMEOUT_MS: String(SOCKET_TIMEOUT_MS) }
      })
      const { sim } = world

      // never a second export or import unless Workato refused the first
      for (const kind of POSTS) {
        const refused = kind === route ? (cell.refusedPosts ?? 0) : 0
        expect(posts(sim, kind)).toBeLessThanOrEqual(1 + refused)
      }
      if (cell.noPost) expect(posts(sim, route as 'export' | 'import')).toBe(0)
      // never bytes imported that differ from the bytes exported
      const exported = sim.workspace('dev').manifests[MANIFEST_ID] as Buffer
      for (const received of sim.imports) expect(received.bytes?.equals(exported)).toBe(true)
      expect(hasStackTrace(run)).toBe(false)
      // a package file appears only complete and checked; nothing half-written is left
      const files = await readdir(run.runnerTemp)
      expect(files.filter(f => f.includes('partial'))).toEqual([])
      expect(files).toEqual(run.outputs['package-path'] ? ['workato-package-12.zip'] : [])

      if (cell.expected.ok) {
        expect({ code: run.code, errors: errorLines(run) }).toEqual({ code: 0, errors: [] })
        expect(sim.imports).toHaveLength(1)
        expect(run.outputs.outcome).toBe('succeeded')
        if (cell.refusedPosts) expect(posts(sim, route as 'export' | 'import')).toBe(2)
      } else {
        expect(run.code).toBe(1)
        expect(run.outputs.outcome).toBe('failed')
        const errors = errorLines(run)
        expect(errors).toHaveLength(1)
        for (const said of cell.expected.says) expect(errors[0]).toMatch(said)
        if (route !== 'import') expect(sim.imports).toHaveLength(0)
      }
    }
  )
})
