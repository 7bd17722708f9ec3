/**
 * The workflow player (workflow.ts) evaluates expressions with GitHub's evaluator and refuses
 * what it cannot evaluate: a typo'd context, an expression that does not parse, a value the run
 * does not have. Its workflows here have only `run:` steps, so nothing is built or served: what a
 * play shows is which secrets it asked for, in which environment, and whether it threw.
 */
import { describe, expect, test } from '@jest/globals'
import type { ArtifactService } from '../../sim/artifact-service.js'
import { parseWorkflow, playWorkflow } from './workflow.js'

/** Plays `yaml` on a push of a tag; resolves to the secrets it read, as `environment:name`. */
async function play(yaml: string, event = { name: 'push', ref: 'refs/tags/v1.2.0' }) {
  const asked: string[] = []
  await playWorkflow(parseWorkflow(yaml), {
    artifacts: {} as ArtifactService,
    event,
    simulatorInputs: {},
    secret: (name, environment) => {
      asked.push(`${environment ?? '(none)'}:${name}`)
      return `secret-of-${name}`
    },
    variable: name => ({ FOLDER: '34', REGION: 'eu' })[name] ?? ''
  })
  return asked
}

const job = (steps: string, more = '') => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
${more}    steps:
${steps}`

describe('workflow player', () => {
  test('contexts, functions, job outputs and needs reach later jobs as on GitHub', async () => {
    const asked = await play(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      target: \${{ format('{0}-{1}', vars.REGION, github.ref_name) }}
    steps:
      - run: echo
  b:
    needs: a
    if: startsWith(github.ref, 'refs/tags/') && needs.a.result == 'success'
    runs-on: ubuntu-latest
    environment: \${{ needs.a.outputs.target }}
    strategy:
      matrix:
        part: [one, two]
    env:
      TOKEN: \${{ secrets[format('{0}_TOKEN', matrix.part)] }}
    steps:
      - id: first
        run: echo "$TOKEN"
      - if: \${{ steps.first.outcome == 'success' && contains(fromJSON('["eu-v1.2.0"]'), needs.a.outputs.target) }}
        run: echo "$TARGET"
        env:
          TARGET: \${{ secrets.LAST }} '}}' \${{ '}}' }}
  skipped:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    env:
      TOKEN: \${{ secrets.NEVER }}
    steps:
      - run: echo
`)
    expect(asked).toEqual([
      'eu-v1.2.0:one_TOKEN',
      'eu-v1.2.0:LAST',
      'eu-v1.2.0:two_TOKEN',
      'eu-v1.2.0:LAST'
    ])
  })

  test.each([
    [
      'a context that does not exist',
      '${{ step.x.outputs.y }}',
      /Unrecognized named-value: 'step'/
    ],
    ['an expression that does not parse', '${{ github.ref == }}', /Unexpected end of expression/],
    [
      'a function that does not exist',
      '${{ lower(github.ref) }}',
      /Unrecognized function: 'lower'/
    ],
    ['a step that never ran', '${{ steps.nope.outputs.y }}', /has no value/],
    ['a key no context holds', '${{ github.event.inputs.x }}', /has no value/],
    ['a variable with no value', '${{ vars.MISSING }}', /has no value/],
    ['an object where text goes', '${{ github }}', /an object or a list where text goes/],
    ['a ${{ that never closes', "${{ 'a' ", /never closes/]
  ])('%s fails the play', async (_what, expression, error) => {
    await expect(
      play(job(`      - run: echo\n        env:\n          X: "${expression}"\n`))
    ).rejects.toThrow(error)
  })

  test('`if:` gets no secrets, as on GitHub', async () => {
    await expect(play(job(`      - if: secrets.TOKEN != ''\n        run: echo\n`))).rejects.toThrow(
      /Unrecognized named-value: 'secrets'/
    )
  })

  test('`if:` with text around its ${{ }} fails: GitHub would take it as always true', async () => {
    await expect(
      play(job(`      - if: \${{ github.ref_name }} == 'v1'\n        run: echo\n`))
    ).rejects.toThrow(/always true/)
  })

  test('a job`s `if:` sees no matrix: it is decided before the legs exist', async () => {
    await expect(play(job('      - run: echo\n', "    if: matrix.x == 'y'\n"))).rejects.toThrow(
      /Unrecognized named-value: 'matrix'/
    )
  })
})
