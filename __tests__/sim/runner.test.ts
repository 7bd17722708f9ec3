/** The harness hands the action its inputs as the runner does, or no e2e test means anything. */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { inputVariable, readActionYml, runnerInputs } from '../../sim/runner.js'

// read here independently of the harness, so a harness that drops inputs cannot pass
const declared = (
  parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>
  }
).inputs

/** A YAML scalar's text, as the runner passes a default (action.yml has no other kind). */
function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  throw new Error(`a default that is not a scalar: ${JSON.stringify(value)}`)
}

describe('runner inputs', () => {
  test('every input action.yml declares is passed: its default, or empty when it has none', () => {
    const inputs = runnerInputs(declared, {})
    expect(Object.keys(inputs).sort()).toEqual(Object.keys(declared).sort())
    for (const [name, input] of Object.entries(declared)) {
      expect({ name, value: inputs[name] }).toEqual({
        name,
        value: input.default === undefined ? '' : scalarText(input.default)
      })
    }
    expect(inputs.mode).toBe('promote')
    expect(inputs['source-token']).toBe('')
  })

  test('the harness reads the same inputs and entry point from action.yml', () => {
    const action = readActionYml()
    expect(Object.keys(action.inputs)).toEqual(Object.keys(declared))
    expect(action.main).toBe('dist/index.js')
  })

  test('the Torizon action: its own action.yml, every input, defaults as declared', () => {
    const torizon = parse(
      readFileSync(new URL('../../torizon/action.yml', import.meta.url), 'utf8')
    ) as {
      inputs: Record<string, { default?: unknown }>
      runs: { main: string }
    }
    const action = readActionYml(fileURLToPath(new URL('../../torizon', import.meta.url)))
    expect(Object.keys(action.inputs)).toEqual(Object.keys(torizon.inputs))
    expect(action.main).toBe(torizon.runs.main)
    const inputs = runnerInputs(action.inputs, {})
    expect(inputs['hardware-id']).toBe('docker-compose')
    expect(inputs['upload-artifact']).toBe('false')
    expect(inputs['client-secret']).toBe('')
  })

  test('the step’s values win; undeclared ones are passed too, as the runner only warns', () => {
    const inputs = runnerInputs(declared, { mode: 'import', 'not-declared': 'x' })
    expect(inputs.mode).toBe('import')
    expect(inputs['not-declared']).toBe('x')
  })

  test('variable names: upper case, spaces to underscores, hyphens kept', () => {
    expect(inputVariable('manifest-id')).toBe('INPUT_MANIFEST-ID')
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT')
  })
})
