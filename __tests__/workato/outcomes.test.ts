/**
 * What the job shows for each way a promotion ends (recipe results, failed jobs, Workato's
 * refusals), run in process. The end at wait-timeout and an output file that cannot be written,
 * which only a process of its own can show, are in ../e2e/outcomes.test.ts.
 */
import { readdir } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import type { ActionRun } from '../../sim/runner.js'
import { FOLDER_ID } from '../../sim/scenario.js'
import { errorLines, hasStackTrace, leaks, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })

/** An output holding JSON, parsed; a missing one fails the test here. */
function jsonOutput<T>(run: ActionRun, name: string): T {
  const text = run.outputs[name]
  if (text === undefined) throw new Error(`no output ${name}`)
  return JSON.parse(text) as T
}

describe('recipe results', () => {
  test('every failing import_result, and one nobody has seen, fails the job with one annotation each', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        { id: 101, import_result: 'restarted' },
        { id: 102, import_result: 'not_found' },
        { id: 103, import_result: 'no_update_or_update_without_restart' },
        { id: 104, import_result: 'stop_failed' },
        { id: 105, import_result: 'stopped' },
        { id: 106, import_result: 'restart_failed' },
        { id: 107, import_result: 'no_update_or_updated_without_restart' },
        { id: 108, import_result: 'partially_restarted' }
      ]
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(run.outputs['failed-recipes']).toBe('5')
    const results = jsonOutput<Array<{ id: string; ok: boolean }>>(run, 'recipe-results')
    expect(results.filter(r => !r.ok).map(r => r.id)).toEqual(['102', '104', '105', '106', '108'])

    const errors = errorLines(run)
    for (const [id, result] of [
      ['102', 'not_found'],
      ['104', 'stop_failed'],
      ['105', 'stopped'],
      ['106', 'restart_failed'],
      ['108', 'partially_restarted']
    ]) {
      const line = errors.find(l => l.includes(`Recipe ${id} did not import cleanly:`))
      expect(line).toContain(`import_result "${result}"`)
      expect(line).toContain(`title=Recipe ${id} did not import cleanly`)
    }
    expect(errors.find(l => l.includes('Recipe 105'))).toContain(
      'did not restart it because of errors in the recipe'
    )
    expect(errors.find(l => l.includes('Recipe 108'))).toContain('Unknown result')
    expect(errors.filter(l => /Recipe 10[137]/.test(l))).toEqual([])
    expect(errors[errors.length - 1]).toContain(
      `5 of 8 recipes did not import cleanly into folder ${FOLDER_ID}`
    )

    expect(run.summary).toContain('## ❌ Workato promotion failed')
    expect(run.summary).toContain('### Recipes: 3 ok, 5 failed')
    const rows = run.summary.split('\n').filter(l => /^\| (✅|❌) \|/.test(l))
    expect(rows.map(r => r.slice(2, 3))).toEqual(
      ['❌', '❌', '❌', '❌', '❌', '✅', '✅', '✅'].map(s => s.slice(0, 1))
    )
    expect(rows[0]).toContain('102')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('an import result that would break the summary table or inject HTML is escaped', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      recipeStatus: [
        {
          id: 9,
          import_result: 'bad|<img src=x onerror=alert(1)>\n::set-output name=outcome::succeeded'
        }
      ]
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(run.summary).not.toContain('<img')
    expect(run.summary).toContain('bad\\|&lt;img')
    expect(run.stdout.split('\n').filter(l => l.startsWith('::set-output'))).toEqual([])
  })
})

describe('jobs that fail', () => {
  test('a failed export shows Workato’s error and imports nothing', async () => {
    world.sim.exportScript = {
      ...world.sim.exportScript,
      outcome: 'failed',
      error: 'Manifest contains a deleted recipe'
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    expect(run.outputs.outcome).toBe('failed')
    expect(run.outputs['export-package-id']).toBe('240')
    expect(errorLines(run)).toEqual([expect.stringContaining('Manifest contains a deleted recipe')])
    expect(run.summary).toContain('Stopped at | wait for export')
    expect((await readdir(run.runnerTemp)).length).toBe(0)
  })

  test('a failed import lists what Workato reported and fails', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      outcome: 'failed',
      error: 'Import failed: connection missing',
      recipeStatus: [{ id: 5, import_result: 'stopped' }]
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      outcome: 'failed',
      'failed-recipes': '1',
      'import-package-id': '241'
    })
    const errors = errorLines(run)
    expect(errors.some(l => l.includes('Recipe 5'))).toBe(true)
    expect(errors[errors.length - 1]).toContain('Import failed: connection missing')
    expect(errors[errors.length - 1]).toContain('package 241 failed')
  })
})

describe('Workato refuses', () => {
  test('401: the token was refused; not retried', async () => {
    const run = await world.run({ 'source-token': 'wrong-token' })
    expect(run.code).toBe(1)
    expect(world.sim.exportPosts).toEqual([])
    // pre-flight's two looks at the source go together; neither is sent again
    expect(world.sim.requests.map(r => r.url).sort()).toEqual([
      '/api/export_manifests/12',
      '/api/users/me'
    ])
    const [error] = errorLines(run)
    expect(error).toContain('Workato refused the source token (HTTP 401)')
    expect(error).toContain('source-host is the data center')
    expect(leaks(run, world.sim, ['wrong-token'])).toEqual([])
  })

  test('403 on import names the target token', async () => {
    world.sim.fault('import', { kind: 'status', status: 403, body: '{"message":"Forbidden"}' })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toHaveLength(0)
    expect(errorLines(run)[0]).toContain('Workato refused the target token (HTTP 403)')
  })

  test('404: says which manifest, package or folder was not found', async () => {
    let run = await world.run({ 'manifest-id': '999' })
    expect(errorLines(run)[0]).toContain(
      'Export manifest 999 was not found in the source workspace'
    )
    run = await world.run({ 'folder-id': '404' })
    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain('Folder 404 was not found in the target workspace')
    world.sim.fault('download', {
      kind: 'status',
      status: 404,
      body: '{"message":"Package not found or doesn\'t have content"}'
    })
    run = await world.run()
    expect(errorLines(run)[0]).toContain('has no content to download')
    expect(errorLines(run)[0]).toContain("doesn't have content")
    world.sim.fault('status', { kind: 'status', status: 404 })
    run = await world.run()
    expect(errorLines(run)[0]).toMatch(/Package \d+ was not found in the source workspace/)
  })

  test('400: Workato’s message, a hint, and no second import', async () => {
    const run = await world.run({ 'folder-id': '35' })
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual(['35'])
    const [error] = errorLines(run)
    expect(error).toContain('HTTP 400')
    expect(error).toContain('Package contains running recipes')
    expect(error).toContain('restart-recipes: true')
    const ok = await world.run({
      'folder-id': '35',
      'restart-recipes': 'true',
      'artifact-name': 'second-try'
    })
    expect(ok.code).toBe(0)
  })
})
