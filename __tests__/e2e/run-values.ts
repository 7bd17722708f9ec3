/**
 * Outputs a test reads off a run that must be there: a missing one fails the test with its name,
 * rather than as `undefined` a later check may read as passing (items of lists: ../checked.ts).
 */
import type { ActionRun } from '../../sim/runner.js'

/** The output `name` the run set; the test fails when it set none. */
export function output(run: Pick<ActionRun, 'outputs'>, name: string): string {
  const value = run.outputs[name]
  if (value === undefined) throw new Error(`the run set no output ${name}`)
  return value
}

/** The output `name`, read as the JSON it holds. */
export function jsonOutput(run: Pick<ActionRun, 'outputs'>, name: string): unknown {
  return JSON.parse(output(run, name)) as unknown
}
