import * as core from '@actions/core'
import { endingOf, readInputs, untilCancelled } from './shared/action.js'
import { writeReport } from './shared/report.js'
import { redact } from './shared/secrets.js'
import { runSteps } from './workato/flow.js'
import { INPUTS, parseInputs, SECRET_INPUTS } from './workato/inputs.js'
import { cancelledDuring, failureText } from './workato/messages.js'
import { isSuccess, newRecord, outcomeOf, type RunRecord } from './workato/record.js'
import {
  annotateRecipes,
  summaryMarkdown,
  verdictMarkdown,
  writeOutputs
} from './workato/summary.js'

/**
 * The mission: export a package from the source workspace, wait, keep it as an artifact, import
 * it into a folder of the target, wait, and fail the job if any recipe did not import cleanly;
 * with a snapshot, plan first and roll back a failed import. Then report, whatever happened.
 */
export async function run(): Promise<void> {
  const config = readInputs({ inputs: INPUTS, secrets: SECRET_INPUTS }, parseInputs)
  if (!config) return
  const record = newRecord(config)
  try {
    await untilCancelled(runSteps(config, record))
  } catch (error) {
    recordError(record, error)
  }
  await report(record)
  // A cancelled run does not wait for requests still in flight.
  if (record.ended === 'cancelled') process.exit(1)
}

/** A step that threw: its message is the failure; a cancel says what may still be running. */
function recordError(record: RunRecord, error: unknown): void {
  const ending = endingOf(error)
  if (ending.cancelled) {
    record.ended = 'cancelled'
    record.failures = [cancelledDuring(record, ending.cancelled)]
    return
  }
  if (ending.outcome === 'timed-out') record.ended = 'timed-out'
  record.failures.push(ending.message)
}

/** Annotations and the verdict first: a runner file that cannot be written must not hide them. */
async function report(record: RunRecord): Promise<void> {
  annotateRecipes(record)
  if (!isSuccess(outcomeOf(record))) core.setFailed(redact(failureText(record)))
  await writeReport({
    outputs: () => writeOutputs(record),
    summary: () => summaryMarkdown(record),
    verdict: () => verdictMarkdown(record)
  })
}
