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
const ASSIGNMENT = (uuid: string) => `api GET /api/v2beta/devices/uptane/${uuid}/assignment`

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
    expect(steps.log).toContain(
      `Rolled out acme-app-1.4.0 to fleets ${FLEETS[0]}, ${FLEETS[1]}: 4 of 4 devices took the update.\n`
    )
    expect(record.reached?.counts).toEqual({ affected: 4, notAffected: 0 })
  })

  test('one fleet: "fleet", not "fleets"', async () => {
    const { config, record } = published(FLEETS[1])
    await rollOutToFleets(steps.api(config), config, record)

    expect(steps.log).toContain(
      `Rolled out acme-app-1.4.0 to fleet ${FLEETS[1]}: 2 of 2 devices took the update.\n`
    )
  })

  // What Torizon documents for POST /updates (/work/shared/torizon-api.md): 201 with the devices
  // that took the assignment and those that did not, with a reason per ECU.
  const device = (n: number, hardwareId?: string, pending?: boolean) => ({
    deviceUuid: `d-${n}`,
    deviceId: `verdin-${n}`,
    name: `Verdin ${n}`,
    hardwareId,
    pending
  })

  test('a device that did not take it: a warning naming it and its reason; recorded, not a failure', async () => {
    steps.sim.devices[FLEETS[0]] = [device(1), device(2, 'verdin-imx8mm')]
    const { config, record } = published(FLEETS[0])
    await rollOutToFleets(steps.api(config), config, record)

    expect(record.rolledOut).toEqual([FLEETS[0]])
    expect(record.reached?.affected).toEqual([{ uuid: 'd-1', id: 'verdin-1', name: 'Verdin 1' }])
    expect(record.reached?.notAffected).toEqual([
      {
        uuid: 'd-2',
        id: 'verdin-2',
        name: 'Verdin 2',
        reasons: [
          "verdin-2-ecu: hardware_id_mismatch (The ECU's hardware ID verdin-imx8mm is not one of the package's)"
        ]
      }
    ])
    expect(steps.log).toContain(
      "::warning::Verdin 2 (verdin-2) did not take the update: verdin-2-ecu: hardware_id_mismatch (The ECU's " +
        "hardware ID verdin-imx8mm is not one of the package's)\n"
    )
    expect(steps.log).toContain(`to fleet ${FLEETS[0]}: 1 of 2 devices took the update.\n`)
  })

  test('no device took it: a failure, since nothing was rolled out; both lists still recorded', async () => {
    steps.sim.devices[FLEETS[0]] = [device(1, undefined, true), device(2, 'verdin-imx8mm')]
    const { config, record } = published(FLEETS[0])
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error.message).toBe(
      `0 of 2 devices took the update to acme-app-1.4.0 in fleet ${FLEETS[0]}: Verdin 1 (verdin-1): ` +
        'verdin-1-ecu: update_already_pending (An update is already assigned to this ECU), and 1 other. ' +
        'Nothing was rolled out: check the devices of the fleets (their hardware IDs, updates already ' +
        'pending) in Torizon Cloud.'
    )
    expect(record.reached?.counts).toEqual({ affected: 0, notAffected: 2 })
  })

  describe('re-runs: a device with this package still pending is already assigned, not missed', () => {
    test('the same roll-out twice: the second assigns nothing and succeeds, each device read once', async () => {
      steps.sim.devices[FLEETS[0]] = [device(1), device(2)]
      const first = published(FLEETS[0])
      await rollOutToFleets(steps.api(first.config), first.config, first.record)
      expect(first.record.reached?.counts).toEqual({ affected: 2, notAffected: 0 })

      const again = published(FLEETS[0])
      const mark = steps.log.length
      const before = steps.requests().length
      await rollOutToFleets(steps.api(again.config), again.config, again.record)

      expect(steps.requests().slice(before)).toEqual([
        TOKEN,
        UPDATES,
        ASSIGNMENT('d-1'),
        ASSIGNMENT('d-2')
      ])
      expect(again.record.reached?.counts).toEqual({
        affected: 0,
        notAffected: 0,
        alreadyAssigned: 2
      })
      expect(again.record.reached?.alreadyAssigned?.map(d => d.uuid)).toEqual(['d-1', 'd-2'])
      expect(steps.log.slice(mark)).not.toContain('::warning::')
      expect(steps.log.slice(mark)).toContain(
        `acme-app-1.4.0 was already assigned to 2 devices of fleet ${FLEETS[0]}, an earlier run's ` +
          'roll-out still pending; nothing new was assigned.\n'
      )
    })

    test('once the devices installed it, a re-run assigns it again and they take it', async () => {
      steps.sim.devices[FLEETS[0]] = [device(1), device(2)]
      const first = published(FLEETS[0])
      await rollOutToFleets(steps.api(first.config), first.config, first.record)
      steps.sim.install()
      const again = published(FLEETS[0])
      await rollOutToFleets(steps.api(again.config), again.config, again.record)

      expect(again.record.reached?.counts).toEqual({ affected: 2, notAffected: 0 })
      expect(steps.sim.updates).toHaveLength(2)
    })

    test("the assignment names the package by sha256 only (the spec's string hashes): still known", async () => {
      steps.sim.assignmentNames = 'hash-only'
      steps.sim.devices[FLEETS[0]] = [device(1)]
      const first = published(FLEETS[0])
      await rollOutToFleets(steps.api(first.config), first.config, first.record)
      const again = published(FLEETS[0])
      await rollOutToFleets(steps.api(again.config), again.config, again.record)

      expect(again.record.reached?.counts.alreadyAssigned).toBe(1)
    })

    test('another update pending is not this one: the device is still not reached, the roll-out fails', async () => {
      steps.sim.devices[FLEETS[0]] = [device(1, undefined, true)]
      const { config, record } = published(FLEETS[0])
      const error = await failure(rollOutToFleets(steps.api(config), config, record))

      expect(error.message).toContain('0 of 1 device took the update to acme-app-1.4.0')
      expect(record.reached?.counts).toEqual({ affected: 0, notAffected: 1 })
      expect(steps.requests()).toContain(ASSIGNMENT('d-1'))
    })

    test('a re-run where one device had it and one has another update pending: judged as the first run was', async () => {
      steps.sim.devices[FLEETS[0]] = [device(1), device(2)]
      const first = published(FLEETS[0])
      await rollOutToFleets(steps.api(first.config), first.config, first.record)
      steps.sim.install()
      steps.sim.devices[FLEETS[0]] = [device(1), device(2, undefined, true)]
      const second = published(FLEETS[0])
      await rollOutToFleets(steps.api(second.config), second.config, second.record)
      const mark = steps.log.length
      const third = published(FLEETS[0])
      await rollOutToFleets(steps.api(third.config), third.config, third.record)

      expect(third.record.reached?.counts).toEqual({
        affected: 0,
        notAffected: 1,
        alreadyAssigned: 1
      })
      expect(steps.log.slice(mark)).toContain(
        '::warning::Verdin 2 (verdin-2) did not take the update: verdin-2-ecu: update_already_pending'
      )
      expect(steps.log.slice(mark)).toContain(
        'was already assigned to 1 device of fleet ' +
          `${FLEETS[0]}, an earlier run's roll-out still pending; nothing new was assigned (1 other did not take it).`
      )
    })

    test('an assignment that cannot be read leaves its device not reached: the check never hides one', async () => {
      steps.sim.devices[FLEETS[0]] = [device(1)]
      const first = published(FLEETS[0])
      await rollOutToFleets(steps.api(first.config), first.config, first.record)
      steps.sim.fault('assignment', { kind: 'status', status: 404, body: '{"msg":"gone"}' })
      const again = published(FLEETS[0])
      const error = await failure(
        rollOutToFleets(steps.api(again.config), again.config, again.record)
      )

      expect(error.message).toContain('0 of 1 device took the update')
      expect(steps.log).toContain('Could not read the current assignment of Verdin 1 (verdin-1): ')
      expect(steps.log).toContain('"gone"')
    })

    test('a device UUID that is not one never goes into a path', async () => {
      steps.sim.devices[FLEETS[0]] = [
        { ...device(1, 'other-hardware'), deviceUuid: '../../packages?name=x' }
      ]
      const { config, record } = published(FLEETS[0])
      await failure(rollOutToFleets(steps.api(config), config, record))

      expect(steps.requests()).toEqual([TOKEN, UPDATES])
    })

    test('more devices not reached than it reads: 100 read, the rest counted as not reached', async () => {
      steps.sim.devices[FLEETS[0]] = Array.from({ length: 150 }, (_, i) =>
        device(i, undefined, true)
      )
      const { config, record } = published(FLEETS[0])
      await failure(rollOutToFleets(steps.api(config), config, record))

      expect(steps.requests().filter(r => r.includes('/assignment'))).toHaveLength(100)
      expect(steps.log).toContain(
        'Read the current assignment of 100 devices not reached; 50 others not read (this action reads at most 100).'
      )
    })
  })

  describe('answers as the spec has them, beside those recorded', () => {
    test('200 instead of 201, devices flat beside ecuErrors: read the same', async () => {
      steps.sim.updateStatus = 200
      steps.sim.notAffectedShape = 'flat'
      steps.sim.devices[FLEETS[0]] = [device(1), device(2, 'verdin-imx8mm')]
      const { config, record } = published(FLEETS[0])
      await rollOutToFleets(steps.api(config), config, record)

      expect(record.reached?.notAffected).toEqual([
        expect.objectContaining({ uuid: 'd-2', id: 'verdin-2', name: 'Verdin 2' })
      ])
      expect(steps.log).toContain('::warning::Verdin 2 (verdin-2) did not take the update')
    })

    test("416, declared on POST /updates without a meaning: refused once, the server's words, nothing assigned", async () => {
      steps.sim.updateRefusal = 416
      const { config, record } = published(FLEETS[0])
      const error = await failure(rollOutToFleets(steps.api(config), config, record))

      expect(error).toMatchObject({ status: 416 })
      expect(error.message).toMatch(
        /^Torizon Cloud refused the roll-out of acme-app-1\.4\.0 to 1 fleet \(HTTP 416\): "Too many devices in one update \[range_not_satisfiable\] \(error id [0-9a-f-]{36}\)": Torizon's spec declares this answer for roll-outs without saying when it is given; nothing was assigned\. Check fleet-id, and roll out to fewer fleets at a time\.$/
      )
      expect(steps.requests()).toEqual([TOKEN, UPDATES])
      expect(steps.sim.updates).toEqual([])
    })
  })

  test('a fleet without devices: 0 of 0, a failure too', async () => {
    steps.sim.devices[FLEETS[0]] = []
    const { config, record } = published(FLEETS[0])
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error.message).toContain('0 of 0 devices took the update')
    expect(error.message).toContain(': the fleets have no devices. Nothing was rolled out')
  })

  test('many devices not reached: eight warnings, then one that counts the rest', async () => {
    steps.sim.devices[FLEETS[0]] = [
      device(0),
      ...Array.from({ length: 20 }, (_, i) => device(i + 1, 'other-hardware'))
    ]
    const { config, record } = published(FLEETS[0])
    await rollOutToFleets(steps.api(config), config, record)

    const warnings = steps.log.split('\n').filter(l => l.startsWith('::warning::'))
    expect(warnings).toHaveLength(9)
    expect(warnings[8]).toBe(
      '::warning::12 more devices did not take the update (listed in the job summary).'
    )
    expect(record.reached?.counts).toEqual({ affected: 1, notAffected: 20 })
  })

  test('a fleet of 20,000 devices: its answer (over 1 MiB) is read whole, each device counted', async () => {
    steps.sim.devices[FLEETS[0]] = Array.from({ length: 20_000 }, (_, i) =>
      device(i, i % 4 === 0 ? 'other-hardware' : undefined)
    )
    const { config, record } = published(FLEETS[0])
    await rollOutToFleets(steps.api(config), config, record)

    expect(record.reached?.counts).toEqual({ affected: 15_000, notAffected: 5_000 })
    // a thousand of each are kept for the summary; the counts are the answer's own
    expect(record.reached?.affected).toHaveLength(1_000)
    expect(steps.log).toContain(': 15000 of 20000 devices took the update.')
  })

  test.each([
    ['200 {updateId}, naming no devices', 'update-id' as const, undefined],
    ['204 with no body', 'documented' as const, 204]
  ])('%s: a failure, since what was reached is unknown', async (_what, answer, status) => {
    steps.sim.updateAnswer = answer
    if (status) steps.sim.fault('updates', { kind: 'status', status, body: '' })
    const { config, record } = published(FLEETS[0])
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error.message).toBe(
      'Torizon Cloud accepted the roll-out of acme-app-1.4.0 to 1 fleet, but its answer does not say ' +
        'which devices took it (no affected and notAffected lists). Check the devices of the fleets in ' +
        'Torizon Cloud before rerunning: a rerun assigns the package again.'
    )
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
  })

  test('an unknown fleet (404): the failure names the call and fleet-id, nothing recorded', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555'
    const { config, record } = published(unknown)
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error).toBeInstanceOf(TorizonErrorAnswer)
    expect(error).toMatchObject({ status: 404 })
    const id = (error as TorizonErrorAnswer).said?.match(/error id ([0-9a-f-]{36})\)$/)?.[1]
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(error.message).toBe(
      'Torizon Cloud has no such resource for the roll-out of acme-app-1.4.0 to 1 fleet (HTTP 404): ' +
        `"Fleet not found [missing_entity] (error id ${id})". Check fleet-id: each must be the UUID of a fleet of this account.`
    )
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
    expect(record.stage).toBe('roll-out')
    expect(record.rolledOut).toBeUndefined()
  })

  test('403 with the credentials.zip client: the failure names that client as the likely cause', async () => {
    steps.sim.repositoryScoped = true
    const { config, record } = published(FLEETS.join(','))
    const error = await failure(rollOutToFleets(steps.api(config), config, record))

    expect(error).toMatchObject({ status: 403 })
    expect(error.message).toMatch(
      /^Torizon Cloud refused the roll-out of acme-app-1\.4\.0 to 2 fleets \(HTTP 403\): "The access token does not grant access to this resource \[forbidden\] \(error id [0-9a-f-]{36}\)": the API client may publish but not roll out\. The client in torizoncore-builder's credentials\.zip has a token scoped to the package repository, which Torizon refuses on updates: set client-id and client-secret to an API client made in Torizon Cloud's web UI, of the account that owns the fleets\.$/
    )
    // a refusal is not resent, and the token is not renewed: 403 is not about the token's age
    expect(steps.requests()).toEqual([TOKEN, UPDATES])
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
