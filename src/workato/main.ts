/**
 * The mission: export a package from the source workspace, wait, keep it as an artifact, import
 * it into a folder of the target, wait, and fail the job if any recipe did not import cleanly;
 * with a snapshot, plan first and roll back a failed import. Then report, whatever happened.
 */
import { runOnce, type Platform } from '../shared/run.js'
import { runSteps } from './flow.js'
import { INPUTS, parseInputs, SECRET_INPUTS, type Config } from './inputs.js'
import { cancelledDuring, failureText } from './messages.js'
import { isSuccess, newRecord, outcomeOf, type RunRecord } from './record.js'
import { annotateRecipes, summaryMarkdown, verdictMarkdown, writeOutputs } from './summary.js'

export const workato: Platform<Config, RunRecord> = {
  name: 'workato-promote',
  inputs: INPUTS,
  secrets: SECRET_INPUTS,
  parse: get => parseInputs(get),
  newRecord,
  steps: runSteps,
  cancelledDuring,
  failureLine: record => (isSuccess(outcomeOf(record)) ? undefined : failureText(record)),
  // the recipes' own annotations first: GitHub shows only so many a step, the verdict's last
  annotate: annotateRecipes,
  outputs: writeOutputs,
  summary: summaryMarkdown,
  verdict: verdictMarkdown
}

/** One run, reported, without the entry point's exit (for @github/local-action and in-process tests). */
export async function run(): Promise<void> {
  await runOnce(workato)
}
