/** The inputs action.yml declares: the one list the input tests attack. */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { InputErrors } from '../src/shared/errors.js'

const actionYml = new URL('../action.yml', import.meta.url)
export const ACTION_INPUTS = Object.keys(
  (parse(readFileSync(actionYml, 'utf8')) as { inputs: Record<string, unknown> }).inputs
)

/** The input errors `parse` reports, one message each; fails the test when it reports none. */
export function inputProblems(parse: () => unknown): string[] {
  try {
    parse()
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map(e => e.message)
    throw error
  }
  throw new Error('expected input errors')
}
