/**
 * A `with:` key the action does not declare, through each built action: the runner only warns
 * and passes it on as an INPUT_* variable, so the action is what must refuse it, before any
 * request (a misspelt snapshot-manifest-id would otherwise leave a failed import un-rolled-back).
 */
import { describe, expect, test } from '@jest/globals'
import { useTorizon } from './torizon-world.js'
import { errorLines, hasStackTrace, leaks, useWorld } from './world.js'

describe('Workato: an undeclared input', () => {
  const world = useWorld({}, 'file')

  test('snapshot_manifest_id: one error with the declared name, exit 1, no request', async () => {
    const run = await world.run({ snapshot_manifest_id: '77' })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      '::error::Unknown input `snapshot_manifest_id`: did you mean `snapshot-manifest-id`?'
    ])
    expect(hasStackTrace(run)).toBe(false)
    expect(world.sim.requests).toEqual([])
    expect(world.artifacts.calls).toEqual([])
    expect(leaks(run, world.sim)).toEqual([])
  })

  test('reported with the other input errors, one line each, unknown names first', async () => {
    const run = await world.run({ 'manifest-id': 'latest', verbose: 'true' })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      '::error::Unknown input `verbose`: this action has no input of that name or one close to it (its inputs are in action.yml and the README)',
      '::error::Input \'manifest-id\' must be a positive integer (got "latest")'
    ])
    expect(world.sim.requests).toEqual([])
  })
})

describe('Torizon: an undeclared input', () => {
  const world = useTorizon()

  test('fleet-ids: one error with the declared name, exit 1, no request', async () => {
    const run = await world.run({ 'fleet-ids': '0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10' })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      '::error::Unknown input `fleet-ids`: did you mean `fleet-id`?'
    ])
    expect(hasStackTrace(run)).toBe(false)
    expect(world.sim.requests).toEqual([])
    expect(world.artifacts.calls).toEqual([])
  })
})
