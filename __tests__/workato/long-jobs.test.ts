/**
 * Long jobs, on a fast clock, the whole action in process: WORKATO_PROMOTE_CLOCK_SCALE makes the
 * action's clock run faster, and the simulator's job durations are scaled alike, so minutes of
 * polling take seconds. Times below are in the action's (virtual) seconds.
 */
import { describe, expect, test } from '@jest/globals'
import { useWorld } from '../e2e/world.js'
import { item } from '../checked.js'

/**
 * At scale 0.01 each real millisecond of request latency reads as 0.1 virtual seconds, so a gap
 * the action sleeps as exactly 60 s is seen as 60 s plus a little; this is that little.
 */
const LATENCY_SLACK_S = 3

const world = useWorld({ runner: 'in-process' })

async function exportTaking(
  virtualSeconds: number,
  scale: number,
  inputs: Record<string, string> = {}
) {
  world.sim.exportScript = {
    ...world.sim.exportScript,
    runningChecks: 0,
    minMs: virtualSeconds * 1000 * scale
  }
  const run = await world.run(
    { mode: 'export', 'target-token': '', 'folder-id': '', 'upload-artifact': 'false', ...inputs },
    { env: { WORKATO_PROMOTE_CLOCK_SCALE: String(scale) } }
  )
  const post = world.sim.requests.find(r => r.method === 'POST')
  if (!post) throw new Error('the export was never asked for')
  const checks = world.sim.requests
    .filter(r => r.url === '/api/packages/240')
    .map(r => (r.at - post.at) / scale / 1000)
  return { run, checks, doneAt: virtualSeconds }
}

describe('long jobs', () => {
  test('a job that ends within the first minute is noticed within 2 s', async () => {
    for (const seconds of [7, 25, 52]) {
      await world.restart()
      const { run, checks, doneAt } = await exportTaking(seconds, 0.05)
      expect(run.code).toBe(0)
      const noticed = item(checks, -1)
      expect(noticed).toBeGreaterThanOrEqual(doneAt)
      // 2 s gaps; at scale 0.05 each real ms of latency reads as 0.02 s, hence the half second
      expect(noticed - doneAt).toBeLessThanOrEqual(2.5)
    }
  })

  test('a 30-minute job: at most 30 status calls a minute after the first, and noticed within poll-interval', async () => {
    const { run, checks, doneAt } = await exportTaking(30 * 60, 0.01)
    expect(run.code).toBe(0)
    const perMinute = new Map<number, number>()
    for (const t of checks)
      perMinute.set(Math.floor(t / 60), (perMinute.get(Math.floor(t / 60)) ?? 0) + 1)
    const later = [...perMinute.entries()]
      .filter(([minute]) => minute >= 1 && minute < 30)
      .map(([, n]) => n)
    const average = later.reduce((a, b) => a + b, 0) / later.length
    console.log(
      `30-minute job: ${checks.length} status calls; first minute ${perMinute.get(0)}; ` +
        `then ${average.toFixed(1)} a minute on average (max ${Math.max(...later)})`
    )
    expect(perMinute.get(0)).toBeLessThanOrEqual(36)
    expect(average).toBeLessThanOrEqual(30)
    expect(Math.max(...later)).toBeLessThanOrEqual(8)
    expect(item(checks, -1) - doneAt).toBeLessThanOrEqual(10 + LATENCY_SLACK_S)
  })

  test('poll-interval bounds the gap: 60 s means about one call a minute', async () => {
    const { run, checks } = await exportTaking(10 * 60, 0.01, { 'poll-interval': '60' })
    expect(run.code).toBe(0)
    const lateChecks = checks.filter(t => t >= 120)
    const gaps = lateChecks.slice(1).map((t, i) => t - item(lateChecks, i))
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60 + LATENCY_SLACK_S)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(55)
  })
})
