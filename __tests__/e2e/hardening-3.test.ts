/**
 * Hardening, round 3, through the built action: a secret echoed with an invisible character
 * inside, scanned for in all a real process prints. The rest of round 3 runs in process, in
 * ../workato/hardening-3.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { TARGET_TOKEN } from '../../sim/scenario.js'
import { errorLines, useWorld } from './world.js'

const world = useWorld()

describe('a secret echoed with an invisible character inside', () => {
  // the leak scan on a real process's whole output, stderr included; the other invisible
  // characters, logic alike, run in process in ../workato/hardening-3.test.ts
  test.each([['U+200B', '\u200b']])(
    '%s: neither half of the token reaches the log or the summary',
    async (_name, mark) => {
      const split = `${TARGET_TOKEN.slice(0, 16)}${mark}${TARGET_TOKEN.slice(16)}`
      world.sim.fault('import', {
        kind: 'status',
        status: 400,
        body: JSON.stringify({ message: `Token ${split} may not import into this folder` })
      })
      // world.run fails the test on any 12 characters of a token in the log, summary or outputs
      const run = await world.run()
      expect(run.code).toBe(1)
      expect(errorLines(run).pop()).toContain('Token *** may not import into this folder')
      expect(run.summary).toContain('Token \\*\\*\\* may not import into this folder')
    }
  )
})
