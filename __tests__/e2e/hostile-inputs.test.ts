/**
 * A workflow command injected into an input, through the built action. Every input against every
 * hostile value runs in process (__tests__/workato/hostile-inputs.test.ts); what only the bundle
 * shows is the real process's stdout, where the runner reads workflow commands: nothing there but
 * the masks and the error line, in a plain input and in a secret one (whose mask carries it).
 */
import { describe, expect, test } from '@jest/globals'
import { errorLines, hasStackTrace, useWorld } from './world.js'

const INJECTION = '1\n::set-output name=outcome::succeeded\n::add-mask::x'

const world = useWorld({}, 'file')

describe('hostile inputs', () => {
  // through dist/: the runner takes workflow commands from the real process's stdout
  test.each(['manifest-id', 'source-token'])(
    '%s: a command injected is refused, and never reaches the runner as one',
    async input => {
      const run = await world.run({ [input]: INJECTION })
      expect(run.code).toBe(1)
      const errors = errorLines(run)
      expect(errors.length).toBeGreaterThanOrEqual(1)
      expect(errors.some(e => e.startsWith(`::error::Input '${input}' `))).toBe(true)
      expect(hasStackTrace(run)).toBe(false)
      expect(world.sim.requests).toEqual([])
      expect(world.artifacts.calls).toEqual([])
      // the only workflow commands are the masks and the errors themselves
      const commands = run.stdout.split('\n').filter(l => l.trimStart().startsWith('::'))
      expect(commands.filter(l => !/^::(add-mask|error)::/.test(l))).toEqual([])
      expect(
        run.stdout
          .split('\n')
          .some(l => l.startsWith('::set-output') || l.startsWith('::stop-commands'))
      ).toBe(false)
    }
  )
})
