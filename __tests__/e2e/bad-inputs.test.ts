import { describe, expect, test } from '@jest/globals'
import { errorLines, hasStackTrace, leaks, useWorld } from './world.js'

const world = useWorld({}, 'file')

describe('bad inputs: one ::error:: line naming the input, exit 1, no request', () => {
  test.each([
    ['mode', 'release'],
    ['source-host', 'http://workato.example.com'],
    ['target-host', 'https://user:secret@workato.example.com'],
    ['manifest-id', 'latest'],
    ['folder-id', '-1'],
    ['folder-id-for-home-assets', '0'],
    ['restart-recipes', 'yes'],
    ['include-tags', 'no'],
    ['upload-artifact', '1'],
    ['poll-interval', '0'],
    ['wait-timeout', 'forever'],
    ['retention-days', '0'],
    ['artifact-name', 'a:b'],
    ['package-sha256', 'abc'],
    ['source-token', 'two words'],
    ['manifest-id', '12\n::set-output name=outcome::succeeded']
  ])('%s = %j', async (input, value) => {
    const run = await world.run({ [input]: value })
    expect(run.code).toBe(1)
    const errors = errorLines(run)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(new RegExp(`^::error::Input '${input}' `))
    expect(hasStackTrace(run)).toBe(false)
    // nothing but masks and the one error reaches the runner as a workflow command
    const commands = run.stdout.split('\n').filter(l => l.startsWith('::'))
    expect(commands.filter(l => !/^::(add-mask|error)::/.test(l))).toEqual([])
    expect(world.sim.requests).toEqual([])
    expect(world.artifacts.calls).toEqual([])
    expect(leaks(run, world.sim)).toEqual([])
  })

  test('missing required inputs are all named at once', async () => {
    const run = await world.run({ 'source-token': '', 'folder-id': '' })
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'source-token' is empty (required in mode promote): if it comes from a secret, this job cannot see it (an environment's secret needs environment: on the job; a fork's pull request gets none; check its name)",
      "::error::Input 'folder-id' is required in mode promote"
    ])
    expect(world.sim.requests).toEqual([])
  })
})
