/**
 * A Torizon Cloud, or a token endpoint, that answers what it should not, run in process (issue
 * 21): package IDs that are not the release's, values that would run workflow commands if
 * printed raw, and access tokens too short to be real ones. A refusal that quotes the client
 * secret is in e2e/torizon-hardening.test.ts: the leak scan of a real process's output.
 */
import { describe, expect, test } from '@jest/globals'
import type { ActionRun } from '../../sim/runner.js'
import { COMPOSE, FLEETS, useTorizon } from '../e2e/torizon-world.js'
import { errorLines, hasStackTrace, visibleLog } from '../e2e/world.js'

const world = useTorizon({ runner: 'in-process' })

const rollOuts = () => world.sim.requests.filter(r => r.path.endsWith('/updates'))
/** Lines a runner would read as workflow commands: only the action's own ::error:: may be there. */
const commandLines = (run: ActionRun) =>
  visibleLog(run)
    .split('\n')
    .filter(line => line.startsWith('::') && !line.startsWith('::error::'))

describe("Torizon's packageId", () => {
  test('an upload answer naming the package with a line break and a workflow command: refused, nothing rolled out, no command run', async () => {
    world.sim.packageIdOf = (name, version) => `${name}-${version}\n::warning::injected`
    const run = await world.run({ 'fleet-id': FLEETS[0] })

    expect(commandLines(run)).toEqual([])
    expect(world.sim.updates).toEqual([])
    expect(rollOuts()).toEqual([])
    expect(run.outputs['package-id']).toBeUndefined()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run)).toEqual([
      '::error::Torizon Cloud\'s answer to the upload names the package "acme-app-1.4.0 ::warning::injected", ' +
        'not acme-app-1.4.0, the name and version it was uploaded under: the answer cannot be trusted, and ' +
        'nothing was rolled out. Check the package in Torizon Cloud, and api-url.'
    ])
    expect(run.summary).not.toContain('\n::warning::')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('a listed package of the same name and version under another ID: refused, not rolled out under that ID', async () => {
    world.sim.packageIdOf = () => 'other-app-9.9.9'
    world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
    const run = await world.run({ 'fleet-id': FLEETS[0] })

    expect(world.sim.updates).toEqual([])
    expect(rollOuts()).toEqual([])
    expect(run.outputs['package-id']).toBeUndefined()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(world.sim.uploads()).toEqual([])
    expect(errorLines(run)).toEqual([
      '::error::Torizon Cloud\'s list of packages names the package "other-app-9.9.9", not acme-app-1.4.0, ' +
        'the name and version it was looked up by: the answer cannot be trusted, and nothing was rolled out. ' +
        'Check the package in Torizon Cloud, and api-url.'
    ])
  })

  test("a listed package's sha256 and hardware IDs are printed on one line", async () => {
    world.sim.fault('list', {
      kind: 'json',
      body: {
        values: [
          {
            name: 'acme-app',
            version: '1.4.0',
            packageId: 'acme-app-1.4.0',
            hashes: { sha256: 'ab\n::warning::sha' },
            hardwareIds: ['docker-compose\n::warning::hw']
          }
        ],
        total: 1
      }
    })
    const run = await world.run()

    expect(run.code).toBe(1)
    expect(commandLines(run)).toEqual([])
    const [error] = errorLines(run)
    expect(error).toContain('exists with different content (sha256 ab ::warning::sha, yours ')
    expect(error).not.toContain('%0A')
  })
})

describe('an access token too short to be one', () => {
  test.each(['1', 'failed', 'published'])(
    'access_token "%s": refused as a broken answer naming token-url, asked once, no output masked',
    async token => {
      world.sim.fault(
        'token',
        { kind: 'json', body: { access_token: token, expires_in: 300, token_type: 'Bearer' } },
        10
      )
      const run = await world.run()

      expect(run.code).toBe(1)
      expect(run.outputs.outcome).toBe('failed')
      expect(errorLines(run)).toEqual([
        `::error::The token endpoint (${world.sim.tokenUrl}) answered with an access_token too short to be ` +
          'one (under 16 characters): the answer is broken. Check token-url: it should be the ' +
          "account's OpenID Connect token endpoint."
      ])
      expect(Object.entries(run.outputs).filter(([, value]) => value.includes('***'))).toEqual([])
      expect(visibleLog(run)).not.toContain('***')
      expect(world.sim.requests.filter(r => r.host === 'auth')).toHaveLength(1)
      expect(world.sim.requests.filter(r => r.host === 'api')).toEqual([])
    }
  )
})
