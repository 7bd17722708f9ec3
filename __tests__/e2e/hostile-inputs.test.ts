/**
 * A workflow command injected into an input, through the built action. Every input against every
 * hostile value runs in process (__tests__/workato/hostile-inputs.test.ts); what only the bundle
 * shows is the real process's stdout, where the runner reads workflow commands: nothing there but
 * the masks and the error line, in a plain input and in a secret one (whose mask carries it).
 */
import { describe, test } from '@jest/globals'
import { expectRefusedInput, useWorld } from './world.js'

const INJECTION = '1\n::set-output name=outcome::succeeded\n::add-mask::x'

const world = useWorld({}, 'file')

describe('hostile inputs', () => {
  // through dist/: the runner takes workflow commands from the real process's stdout
  test.each(['manifest-id', 'source-token'])(
    '%s: a command injected is refused, and never reaches the runner as one',
    async input => {
      expectRefusedInput(await world.run({ [input]: INJECTION }), world, input)
    }
  )
})
