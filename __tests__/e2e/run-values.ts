/**
 * Values a test reads off a run or off the simulator's lists that must be there: a missing one
 * fails the test with its name, rather than as `undefined` a later check may read as passing.
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

/** Item `index` of `items`; the test fails when there is none. */
export function nth<T>(items: readonly T[], index: number): T {
  const item = items[index]
  if (item === undefined) throw new Error(`expected an item at ${index}, found ${items.length}`)
  return item
}

/** The last of `items`; the test fails when there is none. */
export function last<T>(items: readonly T[]): T {
  return nth(items, items.length - 1)
}
