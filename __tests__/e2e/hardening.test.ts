/**
 * A hostile server's answer, through the built action: the rest of the hostile servers and file
 * systems run in process (__tests__/workato/hardening.test.ts), with the leak scan on every run;
 * what only a real process shows is its whole output, stderr included, where anything Node itself
 * printed would land.
 */
import { describe, expect, test } from '@jest/globals'
import { SOURCE_TOKEN } from '../../sim/scenario.js'
import { errorLines, useWorld } from './world.js'

const world = useWorld()

describe('nothing secret, not even half of it', () => {
  // through dist/: the leak scan on a real process's stdout and stderr
  test('a 401 body that echoes the token where the message is cut (after 200 characters of padding): no part of it is printed', async () => {
    world.sim.fault('export', {
      kind: 'status',
      status: 401,
      body: JSON.stringify({
        message: `${'x'.repeat(200)} Authorization: Bearer ${SOURCE_TOKEN} was refused`
      })
    })
    // world.run fails the test on any 12 characters of a token in the log, summary or outputs
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('Workato refused the source token (HTTP 401)')
  })
})
