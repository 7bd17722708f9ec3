/**
 * The mission: publish a file to Torizon Cloud under its name and version exactly once, however
 * often the job runs (the same bytes already there is success, other bytes are a failure), then
 * roll it out to the fleets given. Then report, whatever happened.
 */
import { runOnce, type Platform } from '../shared/run.js'
import { publishAndRollOut } from './flow.js'
import { INPUTS, parseInputs, SECRET_INPUTS, type Config } from './inputs.js'
import { cancelledDuring, failureText } from './messages.js'
import { isSuccess, newRecord, outcomeOf, type RunRecord } from './record.js'
import { summaryMarkdown, verdictMarkdown, writeOutputs } from './summary.js'

export const torizon: Platform<Config, RunRecord> = {
  name: 'torizon-publish',
  inputs: INPUTS,
  secrets: SECRET_INPUTS,
  parse: get => parseInputs(get),
  newRecord,
  steps: publishAndRollOut,
  cancelledDuring,
  failureLine: record => (isSuccess(outcomeOf(record)) ? undefined : failureText(record)),
  outputs: writeOutputs,
  summary: summaryMarkdown,
  verdict: verdictMarkdown
}

/** One run, reported, without the entry point's exit (for @github/local-action and in-process tests). */
export async function run(): Promise<void> {
  await runOnce(torizon)
}
