/** The inputs each action.yml declares: the lists the input tests attack and hold the code to. */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { InputErrors } from '../src/shared/errors.js'

const declaredIn = (file: string) =>
  Object.keys(
    (
      parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')) as {
        inputs: Record<string, unknown>
      }
    ).inputs
  )
export const ACTION_INPUTS = declaredIn('action.yml')
export const TORIZON_INPUTS = declaredIn('torizon/action.yml')

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
