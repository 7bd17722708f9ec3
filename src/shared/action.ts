/** The frame every action's run() shares: inputs read or refused, work raced against a cancel. */
import * as core from '@actions/core'
import { Cancelled, whenCancelled } from './cancel.js'
import { ActionError, InputErrors, type Outcome } from './errors.js'
import { identifyAs } from './http/request.js'
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

/** How a run's work ended when it threw: cancelled by the workflow, or failed with a message. */
export type Ending =
  { cancelled: NodeJS.Signals } | { cancelled?: undefined; message: string; outcome: Outcome }

/**
 * Sorts what the work threw. An ActionError's message is meant for the user; anything else is
 * a bug, reported in one line with its stack only in debug.
 */
export function endingOf(error: unknown): Ending {
  if (error instanceof Cancelled) return { cancelled: error.signal }
  if (error instanceof ActionError) return { message: error.message, outcome: error.outcome }
  core.debug(error instanceof Error ? String(error.stack) : String(error))
  return { message: `Unexpected error: ${String(error)}`, outcome: 'failed' }
}

/**
 * An entry point: names the action in every request, then runs it. run() reports every failure
 * it knows; this catches the ones it does not (a bug, or a runner file that cannot be written),
 * still as one error line, with the stack only in debug.
 */
export async function start(name: string, run: () => Promise<void>): Promise<void> {
  identifyAs(name)
  await run().catch((error: unknown) => {
    core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    core.debug(error instanceof Error ? String(error.stack) : '')
  })
}
