/**
 * The Torizon action when Torizon misbehaves, run in process: rate limits, lost answers, expiring
 * tokens, deadlines, and both readings where the spec is silent. A cancel by signal is in
 * e2e/torizon-faults.test.ts: only the bundle's process gets one.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { COMPOSE, FLEETS, useTorizon } from '../e2e/torizon-world.js'
import { errorLines, hasStackTrace } from '../e2e/world.js'

const world = useTorizon({ runner: 'in-process' })

/** Waits (Retry-After, back-off) pass 50 times faster: a second's wait is 20 ms. */
const SCALE = 0.02
const SCALED = { TORIZON_PUBLISH_CLOCK_SCALE: String(SCALE) }

describe('torizon faults', () => {
  test('420 with Retry-After: waits as asked, then publishes once', async () => {
    world.sim.rateLimit('upload', 2, 1)
    const started = Date.now()
    const run = await world.run({}, { env: SCALED })

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('published')
    expect(world.sim.pendingFaults()).toBe(0)
    expect(world.sim.packages).toHaveLength(1)
    // two waits of 1 s on the run's clock
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000 * SCALE)
    expect(run.stdout).toContain(
      'The upload of version 1.4.0 of acme-app (130 B): Torizon Cloud answered HTTP 420; trying again in 1.0 s (attempt 2 of 5).'
    )
  })

  test('420 on the look-up and the roll-out too: retried like 429', async () => {
    world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
    world.sim.rateLimit('list', 1, 1).rateLimit('updates', 1, 1)
    const run = await world.run({ 'fleet-id': FLEETS[0] }, { env: SCALED })

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('already-published')
    expect(world.sim.updates).toHaveLength(1)
    expect(world.sim.pendingFaults()).toBe(0)
  })

  test('the answer to the upload is lost after Torizon stored it: asks, finds the same bytes, no second upload', async () => {
    world.sim.loseAnswers = 1
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('published')
    expect(world.sim.packages).toHaveLength(1)
    const uploads = world.sim.uploads()
    expect(uploads).toHaveLength(1)
    expect(run.summary).toContain(
      "the upload's answer was lost; the version now holds the same sha256"
    )
  })

  test('a 500 before anything was stored: asks, finds nothing, sends once more', async () => {
    world.sim.fault('upload', {
      kind: 'status',
      status: 500,
      body: '{"code":"internal","msg":"boom"}'
    })
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('published')
    const uploads = world.sim.uploads()
    expect(uploads).toHaveLength(2)
    expect(run.stdout).toMatch(
      /::warning::Torizon Cloud answered HTTP 500 to the upload of version 1\.4\.0 of acme-app \(130 B\): "boom \[internal\]"\. Torizon Cloud does not list version 1\.4\.0 of acme-app, so the file is sent again \(upload 2 of 3\)\./
    )
  })

  test('resets on every upload: gives up after three, each time having asked first', async () => {
    world.sim.fault('upload', { kind: 'reset' }, 3)
    const run = await world.run()

    expect(run.code).toBe(1)
    const uploads = world.sim.uploads()
    const lookUps = world.sim.requests.filter(r => r.method === 'GET')
    expect(uploads).toHaveLength(3)
    expect(lookUps).toHaveLength(1 + 3) // before the first upload, then after each
    expect(errorLines(run)[0]).toContain(
      'the connection was reset. The request may have reached Torizon Cloud'
    )
    expect(hasStackTrace(run)).toBe(false)
  })

  test('409 for a version the list does not show: fails, assumes nothing', async () => {
    world.sim.fault('upload', {
      kind: 'status',
      status: 409,
      body: '{"code":"conflicting_entity","msg":"Entity already exists","errorId":"e-1"}'
    })
    const run = await world.run()

    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain(
      'Torizon Cloud answered 409 to the upload (Entity already exists [conflicting_entity] (error id e-1)), which means version 1.4.0 of acme-app exists, but its list of packages does not show it.'
    )
  })

  test('a token that expires during a long upload: a new one for the calls after it', async () => {
    await world.sim.stop()
    world.sim.options.tokenLifetimeS = 1
    await world.sim.start()
    // 32 reads or more (64 KiB at most each), 40 ms apart: the upload outlasts the token's 1 s
    world.sim.uploadChunkDelayMs = 40
    const big = randomBytes(2 * 1024 * 1024)
    const run = await world.run({ 'fleet-id': FLEETS[0] }, { files: { 'docker-compose.yml': big } })

    expect(run.code).toBe(0)
    expect(world.sim.packages[0]?.bytes.equals(big)).toBe(true)
    expect(world.sim.updates).toHaveLength(1)
    expect(world.sim.issued.length).toBeGreaterThanOrEqual(2)
    // renewed before it ran out, not after a refusal
    const rollOuts = world.sim.requests.filter(r => r.path.endsWith('/updates'))
    expect(rollOuts).toHaveLength(1)
    expect(rollOuts[0]?.authorization).toBe(`Bearer ${world.sim.issued.at(-1)}`)
    expect(run.stdout).not.toContain('refused the access token')
  })

  test('a 401 for a token thought fresh: one new token, the call made again', async () => {
    world.sim.fault('updates', {
      kind: 'status',
      status: 401,
      body: '{"code":"unauthorized","msg":"expired"}'
    })
    const run = await world.run({ 'fleet-id': FLEETS[0] })

    expect(run.code).toBe(0)
    expect(world.sim.issued).toHaveLength(2)
    expect(world.sim.updates).toHaveLength(1)
    expect(run.stdout).toContain('Torizon Cloud refused the access token; asking for a new one.')
  })

  test('an upload that outlives its deadline: asks whether it arrived before deciding', async () => {
    world.sim.uploadChunkDelayMs = 100
    const big = randomBytes(2 * 1024 * 1024)
    const run = await world.run(
      {},
      {
        files: { 'docker-compose.yml': big },
        env: { TORIZON_PUBLISH_TRANSFER_DEADLINE_MS: '1000' }
      }
    )

    expect(run.code).toBe(1)
    // each of the three uploads runs into the deadline, and is looked up before the next
    expect(world.sim.uploads()).toHaveLength(3)
    const lookUps = world.sim.requests.filter(r => r.method === 'GET')
    expect(lookUps).toHaveLength(1 + 3)
    expect(errorLines(run)[0]).toContain(
      'the request took longer than 1 s. The request may have reached Torizon Cloud'
    )
  })

  describe('where the spec is silent, both readings', () => {
    const race = () =>
      world.sim.fault('list', {
        kind: 'json',
        body: { values: [], total: 0, offset: 0, limit: 50 }
      })

    test('a 409 sent before the body is read, for a small file: read as a 409 and settled', async () => {
      world.sim.conflictBeforeBody = true
      race()
      world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
      const run = await world.run()

      expect(run.code).toBe(0)
      expect(run.outputs.outcome).toBe('already-published')
      expect(world.sim.packages).toHaveLength(1)
    })

    test('a 409 sent before the body is read, mid-upload: a reset or the 409, settled either way', async () => {
      world.sim.conflictBeforeBody = true
      race()
      const big = randomBytes(8 * 1024 * 1024)
      world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: big })
      const run = await world.run({}, { files: { 'docker-compose.yml': big } })

      expect(run.code).toBe(0)
      // which one the client sees first depends on timing; neither stores or sends twice
      expect(['already-published', 'published']).toContain(run.outputs.outcome)
      expect(world.sim.packages).toHaveLength(1)
      expect(world.sim.requests.filter(r => r.host === 'api' && r.method === 'POST')).toHaveLength(
        1
      )
    })

    test('a list that also shows Toradex packages whatever the filter: only the exact name and version count', async () => {
      world.sim.listsDelegatedAnyway = true
      const first = await world.run()
      const again = await world.run()

      expect(first.outputs.outcome).toBe('published')
      expect(again.outputs.outcome).toBe('already-published')
      expect(again.outputs['package-id']).toBe('acme-app-1.4.0')
    })
  })
})
