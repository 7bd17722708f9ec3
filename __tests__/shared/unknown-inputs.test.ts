import { describe, expect, test } from '@jest/globals'
import {
  editDistance,
  inputVariable,
  nearestInputs,
  unknownInputs
} from '../../src/shared/inputs.js'
import { INPUTS as TORIZON } from '../../src/torizon/inputs.js'
import { INPUTS as WORKATO } from '../../src/workato/inputs.js'
import { RUN_CONTEXT } from '../../sim/runner.js'
import { first } from '../checked.js'

/** What a runner hands a step: every declared input (defaults or empty) and its run context. */
const runnerEnv = (declared: readonly string[], extra: Record<string, string> = {}) => ({
  PATH: '/usr/bin',
  HOME: '/home/runner',
  RUNNER_TEMP: '/runner/temp',
  GITHUB_WORKSPACE: '/work/repo',
  GITHUB_OUTPUT: '/runner/output',
  GITHUB_STEP_SUMMARY: '/runner/summary',
  ACTIONS_RUNTIME_TOKEN: 'x',
  ACTIONS_RESULTS_URL: 'https://results.example',
  WORKATO_PROMOTE_RETRY_BASE_MS: '20',
  ...RUN_CONTEXT,
  ...Object.fromEntries(declared.map(name => [inputVariable(name), ''])),
  ...extra
})

const lines = (declared: readonly string[], extra: Record<string, string>) =>
  unknownInputs(declared, runnerEnv(declared, extra)).map(e => e.message)

describe('editDistance', () => {
  test.each([
    ['', '', 0],
    ['mode', 'mode', 0],
    ['mode', '', 4],
    ['', 'mode', 4],
    ['mod', 'mode', 1],
    ['node', 'mode', 1],
    ['fleet-ids', 'fleet-id', 1],
    ['folder', 'folder-id', 3],
    // a swap of neighbours is one slip, not two
    ['mainfest-id', 'manifest-id', 1],
    ['ab', 'ba', 1],
    ['kitten', 'sitting', 3],
    // characters, not UTF-16 halves
    ['😀', '😁', 1]
  ])('%j → %j: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
    expect(editDistance(b, a)).toBe(distance)
  })
})

describe('nearestInputs', () => {
  test.each([
    // snake_case, or the spaces the runner turns into underscores, for kebab-case
    ['snapshot_manifest_id', ['snapshot-manifest-id']],
    ['snapshot manifest id', ['snapshot-manifest-id']],
    ['SNAPSHOT_MANIFEST_ID', ['snapshot-manifest-id']],
    ['rollback_on_failure', ['rollback-on-failure']],
    ['mainfest-id', ['manifest-id']],
    ['manifest', ['manifest-id']],
    ['folder', ['folder-id']],
    ['mod', ['mode']],
    ['source-tokn', ['source-token']],
    ['poll_interval', ['poll-interval']],
    ['wait-timout', ['wait-timeout']],
    ['retention_day', ['retention-days']]
  ])('Workato: %j → %j', (given, nearest) => {
    expect(nearestInputs(given, WORKATO)).toEqual(nearest)
  })

  test.each([
    ['fleet-ids', ['fleet-id']],
    ['fleet_id', ['fleet-id']],
    ['hardware-ids', ['hardware-id']],
    ['client_secret', ['client-secret']],
    ['package-vesion', ['package-version']]
  ])('Torizon: %j → %j', (given, nearest) => {
    expect(nearestInputs(given, TORIZON)).toEqual(nearest)
  })

  test.each(['token', 'host', 'verbose', 'dry-run', 'debug', 'id', 'x', ''])(
    'nothing close to %j: no guess',
    given => {
      expect(nearestInputs(given, WORKATO)).toEqual([])
    }
  )

  test('names equally near are all given, in declared order', () => {
    expect(nearestInputs('b-id', ['c-id', 'a-id', 'b-ids'])).toEqual(['c-id', 'a-id', 'b-ids'])
    expect(nearestInputs('ab-id', ['c-id', 'ab-ids', 'ab-d'])).toEqual(['ab-ids', 'ab-d'])
  })
})

describe('unknownInputs', () => {
  test('a runner’s environment for a correct step: declared inputs (empty or not) and the run’s variables', () => {
    expect(unknownInputs(WORKATO, runnerEnv(WORKATO))).toEqual([])
    expect(unknownInputs(TORIZON, runnerEnv(TORIZON))).toEqual([])
    expect(
      unknownInputs(WORKATO, runnerEnv(WORKATO, { 'INPUT_SNAPSHOT-MANIFEST-ID': '77' }))
    ).toEqual([])
  })

  test('a misspelt input: named as the step probably wrote it, with the declared name', () => {
    const [error, ...rest] = unknownInputs(
      WORKATO,
      runnerEnv(WORKATO, { INPUT_SNAPSHOT_MANIFEST_ID: '77' })
    )
    expect(rest).toEqual([])
    expect(error?.input).toBe('snapshot_manifest_id')
    expect(error?.message).toBe(
      'Unknown input `snapshot_manifest_id`: did you mean `snapshot-manifest-id`?'
    )
  })

  test('empty values count too: the step still wrote the key', () => {
    expect(lines(TORIZON, { 'INPUT_FLEET-IDS': '' })).toEqual([
      'Unknown input `fleet-ids`: did you mean `fleet-id`?'
    ])
  })

  test('nothing close: said so; several unknowns: one line each, in name order', () => {
    expect(
      lines(WORKATO, { INPUT_VERBOSE: 'true', INPUT_FOLDER: '34', 'INPUT_DRY-RUN': 'true' })
    ).toEqual([
      'Unknown input `dry-run`: this action has no input of that name or one close to it (its inputs are in action.yml and the README)',
      'Unknown input `folder`: did you mean `folder-id`?',
      'Unknown input `verbose`: this action has no input of that name or one close to it (its inputs are in action.yml and the README)'
    ])
  })

  test('one action’s input in the other is unknown there', () => {
    expect(lines(TORIZON, { 'INPUT_MANIFEST-ID': '12' })).toHaveLength(1)
    expect(lines(WORKATO, { 'INPUT_CLIENT-ID': 'x' })).toHaveLength(1)
  })

  test('only INPUT_ variables are inputs', () => {
    expect(lines(WORKATO, { INPUTS: 'x', MY_INPUT_X: 'y', input_mode: 'z' })).toEqual([])
  })

  test('a hostile name stays one short line', () => {
    const line = first(
      lines(WORKATO, { ['INPUT_A\u001b[31m\u202e' + 'B'.repeat(200)]: 'x' }),
      'line'
    )
    expect(line).not.toMatch(/\p{C}/u)
    expect(line.length).toBeLessThan(200)
    expect(line).toMatch(/^Unknown input `a\?\[31m\?b+\.\.\.`/)
  })

  test('the runner’s variable name: upper case, spaces to underscores, hyphens kept', () => {
    expect(inputVariable('snapshot-manifest-id')).toBe('INPUT_SNAPSHOT-MANIFEST-ID')
    expect(inputVariable('snapshot manifest id')).toBe('INPUT_SNAPSHOT_MANIFEST_ID')
  })
})
