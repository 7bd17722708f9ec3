/**
 * A publish through the Torizon action's bundle, as a runner runs it. Re-runs, conflicts,
 * roll-outs, names and inputs are tests of logic, in ../torizon/action.test.ts.
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { COMPOSE, useTorizon } from './torizon-world.js'

const world = useTorizon()
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('torizon publish', () => {
  // e2e: torizon/action.yml's defaults through INPUT_*, and the output and summary files as the
  // bundle writes them
  test('publishes the file: the bytes Torizon stores are the file, outputs and summary say so', async () => {
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(world.sim.packages).toHaveLength(1)
    const [stored] = world.sim.packages
    expect(stored?.bytes.equals(COMPOSE)).toBe(true)
    expect(stored).toMatchObject({
      name: 'acme-app',
      version: '1.4.0',
      targetFormat: 'BINARY',
      hardwareIds: ['docker-compose']
    })
    expect(run.outputs).toEqual({
      'package-id': 'acme-app-1.4.0',
      sha256: sha256(COMPOSE),
      size: String(COMPOSE.length),
      outcome: 'published',
      'update-fleets': '[]'
    })
    const upload = world.sim.uploads()[0]
    expect(upload?.contentType).toBe('application/octet-stream')
    expect(upload?.contentLength).toBe(String(COMPOSE.length))
    expect(upload?.authorization).toBe(`Bearer ${world.sim.issued[0]}`)
    expect(run.summary).toContain('## ✅ Torizon package published')
    expect(run.summary).toContain(`| sha256 | \`${sha256(COMPOSE)}\` |`)
    expect(run.summary).toContain('the file, byte for byte')
  })
})
