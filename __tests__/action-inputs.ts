/** The inputs action.yml declares: the one list the input tests attack. */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

const actionYml = new URL('../action.yml', import.meta.url)
export const ACTION_INPUTS = Object.keys(
  (parse(readFileSync(actionYml, 'utf8')) as { inputs: Record<string, unknown> }).inputs
)
