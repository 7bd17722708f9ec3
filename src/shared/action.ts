/** The frame every action's run() shares: inputs read or refused, work raced against a cancel. */
import * as core from '@actions/core'
import { whenCancelled } from './cancel.js'
import { InputErrors } from './errors.js'
import { registerSecret } from './secrets.js'

/**
 * Masks the named inputs, then reads them all. Mistakes are reported one error line each and
 * fail the step: the result is undefined and nothing may be sent.
 */
export function readInputs<C>(
  secretInputs: string[],
  parse: (get: (name: string) => string) => C
): C | undefined {
  // before anything can print them, in every form text could carry them
  for (const name of secretInputs) {
    registerSecret(process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '')
  }
  try {
    return parse(name => core.getInput(name))
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error
    for (const e of error.errors) core.error(e.message)
    process.exitCode = 1
    return undefined
  }
}

/**
 * Settles when `work` does or when the workflow is cancelled (rejecting with Cancelled),
 * whichever comes first; after a cancel, how the abandoned work ends does not matter.
 */
export async function untilCancelled(work: Promise<void>): Promise<void> {
  work.catch(() => undefined)
  await Promise.race([work, whenCancelled()])
}
