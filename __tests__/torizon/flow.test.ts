/**
 * The Torizon steps in their order (flow.ts), in process against the simulator: the file is
 * checked before anything is sent, the roll-out follows the publish, and a failure leaves the
 * record saying how far the run got.
 */
import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../src/shared/errors.js'
import { TorizonErrorAnswer } from '../../src/torizon/errors.js'
import { publishAndRollOut } from '../../src/torizon/flow.js'
import { newRecord } from '../../src/torizon/record.js'
import { FLEETS } from '../e2e/torizon-world.js'
import { failure, useSteps } from './step-world.js'

const steps = useSteps()

describe('publishAndRollOut', () => {
  test('the file, the look-up, the upload, the roll-out, in that order: done', async () => {
    const config = steps.config({ 'fleet-id': FLEETS[0] })
    const record = newRecord(config)
    await publishAndRollOut(config, record)

    expect(steps.requests()).toEqual([
      'auth POST /auth/realms/ota-users/protocol/openid-connect/token',
      'api GET /api/v2beta/packages?name=acme-app&version=1.4.0&offset=0&limit=50',
      'api POST /api/v2beta/packages?name=acme-app&version=1.4.0&targetFormat=BINARY&hardwareId=docker-compose',
      'api POST /api/v2beta/updates'
    ])
    expect(record).toMatchObject({
      stage: 'done',
      file: { sha256: steps.sim.packages[0]?.sha256 },
      package: { packageId: 'acme-app-1.4.0' },
      published: 'published',
      rolledOut: [FLEETS[0]],
      failures: []
    })
    expect(record.artifact).toBeUndefined()
  })

  test('a file refused: nothing sent, not even for a token', async () => {
    const config = steps.config({ 'package-path': 'missing.yml', 'fleet-id': FLEETS[0] })
    const record = newRecord(config)
    const error = await failure(publishAndRollOut(config, record))

    expect(error).toBeInstanceOf(InputError)
    expect(steps.sim.requests).toEqual([])
    expect(record.stage).toBe('package file')
  })

  test('a roll-out refused: the record still holds the package as published', async () => {
    const config = steps.config({ 'fleet-id': '11111111-2222-4333-8444-555555555555' })
    const record = newRecord(config)
    const error = await failure(publishAndRollOut(config, record))

    expect(error).toBeInstanceOf(TorizonErrorAnswer)
    expect(record).toMatchObject({
      stage: 'roll-out',
      package: { packageId: 'acme-app-1.4.0' },
      published: 'published'
    })
    expect(record.rolledOut).toBeUndefined()
    expect(steps.sim.packages).toHaveLength(1)
  })
})
