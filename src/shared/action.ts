/** The frame every action's run() shares: inputs read or refused, work raced against a cancel. */
import * as core from '@actions/core'
import { Cancelled, whenCancelled } from './cancel.js'
import { ActionError, InputErrors, type Outcome } from './errors.js'
import { identifyAs } from './http/request.js'
import { inputVariable, unknownInputs } from './inputs.js'
import { registerSecret } from './secrets.js'

/** What the frame must know of an action.yml before parsing: every input, and the secret ones. */
export interface Declared {
  inputs: readonly string[]
  secrets: readonly string[]
}

/**
 * Masks the secret inputs, then reads them all. Mistakes, including a variable that names no
 * declared input (the runner passes misspelt `with:` keys on), are reported one error line each
 * and fail the step: the result is undefined and nothing may be sent.
 */
export function readInputs<C>(
  declared: Declared,
  parse: (get: (name: string) => string) => C
): C | undefined {
  // before anything can print them, in every form text could carry them
  for (const name of declared.secrets) registerSecret(process.env[inputVariable(name)] ?? '')
  // first, as a misspelt name is often why a later input is reported missing
  const errors = unknownInputs(declared.inputs, process.env)
  let config: C | undefined
  try {
    config = parse(name => core.getInput(name))
  } catch (error) {
    if (!(error instanceof InputErrors)) throw error
    errors.push(...error.errors)
  }
  if (errors.length === 0) return config
  for (const e of errors) core.error(e.message)
  process.exitCode = 1
  return undefined
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
