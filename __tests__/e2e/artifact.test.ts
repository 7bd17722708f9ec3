import { describe, expect, test } from '@jest/globals'
import { errorLines, useWorld } from './world.js'

const world = useWorld()

describe('keeping the package as an artifact', () => {
  test('no artifact service (outside Actions): a warning, and the promotion goes on', async () => {
    const run = await world.run({}, { env: { ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' } })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning::The package was not kept as an artifact: no artifact service here.*It is at /
    )
    expect(run.outputs['artifact-id']).toBeUndefined()
    expect(run.outputs.outcome).toBe('succeeded')
    expect(run.summary).toContain('| Artifact | not kept: no artifact service here')
    expect(world.sim.imports).toHaveLength(1)
  })

  test('GitHub Enterprise Server: a warning, and the promotion goes on', async () => {
    const run = await world.run(
      {},
      { env: { GITHUB_SERVER_URL: 'https://github.example-corp.com' } }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('not supported on GitHub Enterprise Server')
    expect(world.artifacts.calls).toEqual([])
    expect(world.sim.imports).toHaveLength(1)
  })

  test('the service refuses (name taken): fail before importing', async () => {
    world.artifacts.failNextCreate = {
      status: 409,
      code: 'already_exists',
      msg: 'an artifact with this name already exists on the workflow run'
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    const error = errorLines(run).pop()
    expect(error).toContain('Could not keep the package as artifact "workato-package-12"')
    expect(error).toContain('already keeps an artifact by that name')
    expect(error).toContain('Give each job its own artifact-name')
    expect(run.outputs['package-path']).toBeTruthy()
  })

  test('upload-artifact: false never calls the service', async () => {
    const run = await world.run({ 'upload-artifact': 'false' })
    expect(run.code).toBe(0)
    expect(world.artifacts.calls).toEqual([])
    expect(run.summary).not.toContain('Artifact')
  })
})
