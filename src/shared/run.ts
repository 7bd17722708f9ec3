/**
 * The frame around every run of either action: inputs read or refused before any request, the
 * platform's steps raced against a cancel, how they ended kept in the run's record, the report
 * written whatever happened, and the process ended. A platform gives its inputs, its steps, its
 * record and its words (`Platform`); the frame knows none of them.
 */
import * as core from '@actions/core'
import { Cancelled, whenCancelled } from './cancel.js'
import { CANCEL_CLEANUP_MS, CLEANUP_MS, type CleanUps } from './cleanup.js'
import { ActionError, InputErrors } from './errors.js'
import { identifyAs } from './http/request.js'
import { inputVariable, unknownInputs } from './inputs.js'
import { writeReport } from './report.js'
import { redact, registerSecret } from './secrets.js'

/** A run stopped from outside its steps: the workflow's cancel, or a time limit running out. */
export type Interruption = { by: 'cancel'; signal: NodeJS.Signals } | { by: 'time limit' }

/** What the frame writes into every platform's run record. */
export interface Ended {
  /** What went wrong, in order: the job fails when there is anything here. */
  failures: string[]
  interrupted?: Interruption
  /** What the steps made and must take away; what is left runs before the report. */
  cleanUps?: CleanUps
}

export interface Platform<C, R extends Ended> {
  /** The action's name, sent with every request it makes. */
  name: string
  /** Every input of its action.yml, and the ones that are secrets (masked before anything runs). */
  inputs: readonly string[]
  secrets: readonly string[]
  /** The inputs as one config; throws InputErrors with every mistake found. */
  parse: (get: (name: string) => string) => C
  newRecord: (config: C) => R
  /** The steps of the run; what they learn goes into the record as they go. */
  steps: (config: C, record: R) => Promise<void>
  /** The failure a cancel leaves: what may still be running where, in the platform's words. */
  cancelledDuring: (record: R, signal: NodeJS.Signals) => string
  /** The job's one error line, or undefined when the run succeeded. */
  failureLine: (record: R) => string | undefined
  /** Annotations the job shows beside its error line (before anything else is written). */
  annotate?: (record: R) => void
  outputs: (record: R) => void
  summary: (record: R) => string
  /** The summary's headline and verdict alone, for when the full summary cannot be built. */
  verdict: (record: R) => string
}

/**
 * An entry point: names the action in every request, then runs it. A cancelled run exits at once
 * rather than wait for requests still in flight.
 */
export async function start<C, R extends Ended>(platform: Platform<C, R>): Promise<void> {
  identifyAs(platform.name)
  const record = await runOnce(platform)
  if (record?.interrupted?.by === 'cancel') process.exit(1)
}

/**
 * One run, reported: the record it ended with, or undefined when the inputs were refused (each
 * mistake one error line, and nothing sent). What escapes the run's own reporting (a bug, or a
 * runner file that cannot be written) is still one error line, the stack only in debug, and the
 * record is still returned: a cancelled run must still exit at once.
 */
export async function runOnce<C, R extends Ended>(
  platform: Platform<C, R>
): Promise<R | undefined> {
  let record: R | undefined
  try {
    const config = readInputs(platform)
    if (config === undefined) return undefined
    record = platform.newRecord(config)
    await runAndReport(platform, config, record)
  } catch (error) {
    core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    core.debug(error instanceof Error ? String(error.stack) : '')
  }
  return record
}

async function runAndReport<C, R extends Ended>(
  platform: Platform<C, R>,
  config: C,
  record: R
): Promise<void> {
  // listened for until the report is written: a second signal must not kill the process first
  const cancel = whenCancelled()
  try {
    try {
      await untilCancelled(platform.steps(config, record), cancel.promise)
    } catch (error) {
      recordEnding(platform, record, error)
    }
    // before the report, which says what was taken away and what was left
    await record.cleanUps?.runAll(
      record.interrupted?.by === 'cancel' ? CANCEL_CLEANUP_MS : CLEANUP_MS
    )
    platform.annotate?.(record)
    const failure = platform.failureLine(record)
    if (failure !== undefined) core.setFailed(redact(failure))
    await writeReport({
      outputs: () => platform.outputs(record),
      summary: () => platform.summary(record),
      verdict: () => platform.verdict(record)
    })
  } finally {
    cancel.dispose()
  }
}

/**
 * Masks the secret inputs, then reads them all. Mistakes, including a variable that names no
 * declared input (the runner passes misspelt `with:` keys on), are reported one error line each
 * and fail the step: the result is undefined and nothing may be sent.
 */
export function readInputs<C>(
  declared: Pick<Platform<C, Ended>, 'inputs' | 'secrets' | 'parse'>
): C | undefined {
  // before anything can print them, in every form text could carry them
  for (const name of declared.secrets) registerSecret(process.env[inputVariable(name)] ?? '')
  // first, as a misspelt name is often why a later input is reported missing
  const errors = unknownInputs(declared.inputs, process.env)
  let config: C | undefined
  try {
    config = declared.parse(name => core.getInput(name))
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
async function untilCancelled(work: Promise<void>, cancelled: Promise<never>): Promise<void> {
  work.catch(() => undefined)
  await Promise.race([work, cancelled])
}

/**
 * What the steps threw, into the record. A cancel replaces the failures with what it may have
 * left running; an ActionError's message is meant for the user; anything else is a bug, reported
 * in one line with its stack only in debug.
 */
function recordEnding<C, R extends Ended>(platform: Platform<C, R>, record: R, error: unknown) {
  if (error instanceof Cancelled) {
    record.interrupted = { by: 'cancel', signal: error.signal }
    record.failures = [platform.cancelledDuring(record, error.signal)]
    return
  }
  if (error instanceof ActionError) {
    if (error.ending === 'timed-out') record.interrupted = { by: 'time limit' }
    record.failures.push(error.message)
    return
  }
  core.debug(error instanceof Error ? String(error.stack) : String(error))
  record.failures.push(`Unexpected error: ${String(error)}`)
}
