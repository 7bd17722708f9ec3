/**
 * The roll-out step in process, against the Torizon simulator: what it sends to POST /updates,
 * what it records, which answers are success, and the exact words of its failures.
 */
import { describe, expect, test } from '@jest/globals'
import type { Config } from '../../../src/torizon/inputs.js'
import { MayHaveArrived, TorizonErrorAnswer } from '../../../src/torizon/errors.js'
import { newRecord, type RunRecord } from '../../../src/torizon/record.js'
import { rollOutToFleets } from '../../../src/torizon/steps/rollout.js'
import { COMPOSE, FLEETS } from '../../e2e/torizon-world.js'
import { failure, useSteps } from '../step-world.js'

const steps = useSteps()

const TOKEN = 'auth POST /auth/realms/ota-users/protocol/openid-connect/token'
const UPDATES = 'api POST /api/v2beta/updates'

/** A config for `fleets` and a record as the publish step leaves it: the package is there. */
function published(fleets: string): { config: Config; record: RunRecord } {
  const config = steps.config({ 'fleet-id': fleets })
  const stored = steps.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
  const record: RunRecord = {
    ...newRecord(config),
    stage: 'upload',
    package: {
      packageId: stored.packageId,
      name: stored.name,
      version: stored.version,
      sha256: stored.sha256,
      hardwareIds: stored.hardwareIds
    },
    published: 'published'
  }
  return { config, record }
}

describe('rollOutToFleets', () => {
  test('no fleet-id: nothing sent, not even for a token, nothing recorded', async () => {
    const { config, record } = published('')
    await rollOutToFleets(steps.api(config), config, record)

    expect(steps.requests()).toEqual([])
    expect(record.stage).toBe('upload')
    expect(record.rolledOut).toBeUndefined()
    expect(steps.log).toBe('')
  })

  test('fleets given: one POST /updates naming the package and every fleet, recorded', async () => {
    const { config, record } = published(`${FLEETS[0].toUpperCase()}\n${FLEETS[1]}`)
    await rollOutToFleets(steps.api(config), config, record)

    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(steps.sim.requests[1]).toMatchObject({
      contentType: 'application/json',
      authorization: `Bearer ${steps.sim.issued[0]}`
    })
    // fleet IDs as the account's UUIDs are written: lower case
    expect(steps.sim.updates).toEqual([{ packageIds: ['acme-app-1.4.0'], fleets: FLEETS }])
    expect(record.stage).toBe('roll-out')
    expect(record.rolledOut).toEqual(FLEETS)
    expect(steps.log).toContain(`Rolled out acme-app-1.4.0 to fleets ${FLEETS[0]}, ${FLEETS[1]}.\n`)
  })

  test('one fleet: "fleet", not "fleets"', async () => {
    const { config, record } = published(FLEETS[1])
    await rollOutToFleets(steps.api(config), config, record)

    expect(steps.log).toContain(`Rolled out acme-app-1.4.0 to fleet ${FLEETS[1]}.\n`)
  })

  // What Torizon documents for POST /updates (/work/shared/torizon-api.md); the step reads no
  // body: any 2xx is a roll-out done.
  test.each([
    [
      '201 with affected and notAffected devices',
      201,
      JSON.stringify({
        affected: [{ deviceUuid: 'd-1', deviceId: 'verdin-1', name: 'Verdin 1' }],
        notAffected: [
          {
            device: { deviceUuid: 'd-2', deviceId: 'verdin-2', name: 'Verdin 2' },
            ecuErrors: { 'ecu-1': { code: 'hardware_id_mismatch', description: 'other hardware' } }
          }
        ]
      })
    ],
    ['204 with no body', 204, '']
  ])('%s: recorded as rolled out', async (_what, status, body) => {
    steps.sim.fault('updates', { kind: 'status', status, body })
    const { config, record } = published(FLEETS[0])
    await rollOutToFleets(steps.api(config), config, record)

    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(record.rolledOut).toEqual([FLEETS[0]])
  })

  test('an unknown fleet (404): the failure names the call and fleet-id, nothing recorded', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555'
    const { config, record } = published(unknown)
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error).toBeInstanceOf(TorizonErrorAnswer)
    expect(error).toMatchObject({ status: 404 })
    expect(error.message).toBe(
      'Torizon Cloud has no such resource for the roll-out of acme-app-1.4.0 to 1 fleet (HTTP 404): ' +
        '"Fleet not found [missing_entity]". Check fleet-id: each must be the UUID of a fleet of this account.'
    )
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(record.stage).toBe('roll-out')
    expect(record.rolledOut).toBeUndefined()
  })

  test('the answer lost: not sent again, the failure says it may have arrived', async () => {
    steps.sim.fault('updates', { kind: 'reset' })
    const { config, record } = published(FLEETS[0])
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error).toBeInstanceOf(MayHaveArrived)
    expect(error.message).toBe(
      'The roll-out of acme-app-1.4.0 to 1 fleet failed: the connection was reset. The request may have ' +
        'reached Torizon Cloud, so it was not sent again.'
    )
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(record.rolledOut).toBeUndefined()
  })

  test('a 503 without Retry-After: not sent again either', async () => {
    steps.sim.fault('updates', { kind: 'status', status: 503, body: '{"msg":"unavailable"}' })
    const { config, record } = published(FLEETS[0])
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error.message).toBe(
      'Torizon Cloud answered HTTP 503 to the roll-out of acme-app-1.4.0 to 1 fleet: "unavailable". ' +
        'Try again later.'
    )
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(record.rolledOut).toBeUndefined()
  })
})
