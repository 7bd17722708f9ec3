/**
 * What the action's HTTP calls resend, retry and refuse, run in process: two redirect and URL
 * tests stay in ../e2e/http.test.ts, where the leak scan reads a real process's whole output.
 */
import { describe, expect, test } from '@jest/globals'
import { MANIFEST_ID } from '../../sim/scenario.js'
import type { WorkatoSimulator } from '../../sim/workato.js'
import { errorLines, hasStackTrace, leaks, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })

/** The action's clock 10 times faster (WORKATO_PROMOTE_CLOCK_SCALE): a 1 s Retry-After, 0.1 s. */
const SCALE = 0.1

const posts = (sim: WorkatoSimulator, kind: 'export' | 'import') =>
  sim.requests.filter(r => r.method === 'POST' && r.url.startsWith(`/api/packages/${kind}/`)).length
const exported = () => world.sim.workspace('dev').manifests[MANIFEST_ID] as Buffer

describe('POSTs are resent only when Workato refused them', () => {
  test('429 with Retry-After: waited for, then resent once', async () => {
    world.sim.fault('export', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } })
    const run = await world.run({}, { env: { WORKATO_PROMOTE_CLOCK_SCALE: String(SCALE) } })
    expect(run.code).toBe(0)
    expect(posts(world.sim, 'export')).toBe(2)
    expect(world.sim.exportPosts).toHaveLength(1)
    const [refused, resent] = world.sim.requests.filter(r => r.method === 'POST')
    if (!refused || !resent) throw new Error('expected the refused export POST and its resend')
    // the second of Retry-After on the action's clock; the quota's window (300 ms) would be 30 ms
    expect(resent.at - refused.at).toBeGreaterThanOrEqual(950 * SCALE)
    expect(run.stdout).toContain(
      'The export of manifest 12: Workato answered HTTP 429, over the packages quota of the source ' +
        'workspace; waiting 1.0 s (its Retry-After) before going on.'
    )
  })

  test('503 with Retry-After on the import: resent, imported once', async () => {
    world.sim.fault('import', { kind: 'status', status: 503, headers: { 'Retry-After': '0' } })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(posts(world.sim, 'import')).toBe(2)
    expect(world.sim.imports).toHaveLength(1)
    expect(world.sim.imports[0]?.bytes?.equals(exported())).toBe(true)
  })

  const reached = 'may have reached Workato, so it was not sent again'
  // said only where the answer was lost (a reset): a 5xx is Workato's answer, not a silence
  test.each([
    ['export', { kind: 'status', status: 503 }, 'HTTP 503', false],
    ['export', { kind: 'status', status: 500 }, 'HTTP 500', false],
    ['import', { kind: 'status', status: 502 }, 'HTTP 502', false],
    ['export', { kind: 'reset' }, 'the connection was reset', true],
    ['import', { kind: 'reset' }, 'the connection was reset', true]
  ] as const)('%s POST answered %j: not resent, and said so', async (route, fault, said, lost) => {
    world.sim.fault(route, fault)
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(posts(world.sim, route)).toBe(1)
    const [error] = errorLines(run)
    expect(error).toContain(said)
    // the error is printed beside the verdict when it is wrong
    expect({ error, mayHaveReached: error?.includes(reached) }).toMatchObject({
      mayHaveReached: lost
    })
    expect(run.outputs.outcome).toBe('failed')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('an answer without a package id is not guessed at', async () => {
    world.sim.fault('export', { kind: 'json', body: { status: 'in_progress' } })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain('has no package id')
  })
})

describe('status checks are retried', () => {
  test('502, 500, a reset and a proxy page, then success', async () => {
    world.sim
      .fault('status', { kind: 'status', status: 502 })
      .fault('status', { kind: 'status', status: 500 })
      .fault('status', { kind: 'reset' })
      .fault('status', { kind: 'html' })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.exportPosts).toHaveLength(1)
    expect(run.stdout).toContain('not JSON (text/html)')
  })

  test('give up after a bounded number of tries, with the package to check', async () => {
    world.sim.fault('status', { kind: 'status', status: 503 }, 5)
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.requests.filter(r => r.url === '/api/packages/240')).toHaveLength(5)
    expect(errorLines(run)[0]).toContain(
      'Workato answered HTTP 503 to the status check of package 240 after 5 tries'
    )
  })
})

describe('downloads', () => {
  test('an expired pre-signed URL: a fresh one is asked for', async () => {
    world.sim.fault('storage', {
      kind: 'status',
      status: 403,
      body: '<Error><Code>AccessDenied</Code></Error>'
    })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.url.endsWith('/download'))).toHaveLength(2)
    expect(world.sim.imports[0]?.bytes?.equals(exported())).toBe(true)
    expect(leaks(run, world.sim)).toEqual([])
  })

  test('a body cut short at the storage host: downloaded again, whole', async () => {
    world.sim.fault('storage', { kind: 'truncate' })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.host === 'storage')).toHaveLength(2)
    expect(world.sim.imports[0]?.bytes?.equals(exported())).toBe(true)
  })

  test('a direct download cut short: downloaded again, whole', async () => {
    world.sim.downloadMode = 'direct'
    world.sim.fault('download', { kind: 'truncate' })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(world.sim.imports[0]?.bytes?.equals(exported())).toBe(true)
  })

  test('a redirect loop ends', async () => {
    world.sim.fault('storage', { kind: 'redirect', location: '/again' }, 10)
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain('more than 5 redirects')
    expect(world.sim.requests.filter(r => r.host === 'storage').length).toBeLessThanOrEqual(5)
  })
})
