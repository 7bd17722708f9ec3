/**
 * The Workato API as its docs describe it, not as we would like it: the import POST's answer is
 * never final, statuses beyond the documented ones, one import at a time, Workato's own words in
 * errors, base URLs as Workato prints them, the documented size limit. All of it is the action's
 * logic, so it runs in process; the waits the action times itself run on its clock made faster.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { samplePackage, writeLargePackage } from '../../sim/zip.js'
import { errorLines, hasStackTrace, visibleLog, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })

/**
 * The action's clock 10 times faster (WORKATO_PROMOTE_CLOCK_SCALE), for a test whose time goes
 * to the action's own polling and deadlines: a second between status checks takes 100 ms.
 */
const FAST_CLOCK = { env: { WORKATO_PROMOTE_CLOCK_SCALE: '0.1' } }

const IMPORT_ID = '241'
const importReads = () => world.sim.requests.filter(r => r.url === `/api/packages/${IMPORT_ID}`)
const warnings = (log: string) => log.split('\n').filter(l => l.startsWith('::warning'))

describe('the import POST is never taken as final', () => {
  test('a POST that says completed, with no results, while the package read by id shows a failed recipe: the job fails', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      completeOnPost: true,
      recipeStatus: [
        { id: 501, import_result: 'restarted' },
        { id: 502, import_result: 'restart_failed' }
      ]
    }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(importReads()).toHaveLength(1)
    expect(run.outputs['failed-recipes']).toBe('1')
    expect(
      errorLines(run).some(l =>
        l.includes('Recipe 502 did not import cleanly: import_result "restart_failed"')
      )
    ).toBe(true)
  })

  test('a completed import that reports no recipe_status while the package holds recipes fails closed', async () => {
    world.sim.importScript = { ...world.sim.importScript, omitRecipeStatus: true }
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run).pop()).toContain(
      `Workato reported no recipe results for 3 recipes (import package ${IMPORT_ID})`
    )
  })

  test('a package without recipes needs no recipe results', async () => {
    world.sim.workspace('dev').manifests['12'] = samplePackage([], 2)
    world.sim.importScript = { ...world.sim.importScript, omitRecipeStatus: true }
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
  })
})

describe('statuses', () => {
  test('succeeded counts as done and error as failed, as in Workato’s own CLI', async () => {
    world.sim.importScript = { ...world.sim.importScript, reportAs: 'succeeded' }
    const ok = await world.run()
    expect(ok.code).toBe(0)
    expect(ok.outputs.outcome).toBe('succeeded')

    world.sim.exportScripts.push({
      outcome: 'failed',
      reportAs: 'error',
      error: 'Manifest is empty'
    })
    const failed = await world.run()
    expect(failed.code).toBe(1)
    expect(errorLines(failed).pop()).toContain('Workato could not export manifest 12')
    expect(errorLines(failed).pop()).toContain('Manifest is empty')
  })

  test('an unknown status is waited on, named once in the log, and the job still completes', async () => {
    world.sim.importScript = {
      ...world.sim.importScript,
      runningChecks: 3,
      runningStatuses: ['queued_for_validation']
    }
    const run = await world.run({}, FAST_CLOCK)
    expect(run.code).toBe(0)
    const named = warnings(run.stdout).filter(l => l.includes('"queued_for_validation"'))
    expect(named).toHaveLength(1)
    expect(named[0]).toContain('a status the action does not know')
  })

  test('an unknown status until wait-timeout: timed-out, and the message names it', async () => {
    world.sim.exportScript = {
      ...world.sim.exportScript,
      runningChecks: 10_000,
      runningStatuses: ['paused']
    }
    const run = await world.run({ 'wait-timeout': '2' }, FAST_CLOCK)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    const error = errorLines(run).pop()
    expect(error).toContain('was still "paused" (a status the action does not know')
    expect(error).toContain('wait-timeout')
  })
})

describe('one import at a time', () => {
  const withSnapshot = { 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID }
  // the target folder as the previous release left it: a snapshot to roll back to
  const previousRelease = () => {
    world.sim.workspace('prod').folderContents = {
      [FOLDER_ID]: samplePackage(['Sync accounts'], 0)
    }
  }
  beforeEach(previousRelease)

  test('a rollback refused twice for "another import in progress" waits, asks again and is accepted', async () => {
    world.sim.importScripts.push({
      outcome: 'failed',
      error: 'Connection CRM is missing',
      thenRefuse: 2
    })
    const run = await world.run(withSnapshot)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('rolled-back')
    expect(world.sim.busyRefusals).toBe(2)
    expect(world.sim.importPosts).toEqual([FOLDER_ID, FOLDER_ID, FOLDER_ID, FOLDER_ID])
    const waits = visibleLog(run)
      .split('\n')
      .filter(l => l.includes('another import is running or ended too recently'))
    expect(waits).toHaveLength(2)
    expect(waits[0]).toContain('trying again in')
  })

  test.each([
    ['409 with no words', { status: 409, body: { message: 'Conflict' } }],
    [
      '422 asking to wait between imports',
      { status: 422, body: { message: 'Please wait 15 minutes between imports.' } }
    ]
  ])(
    'the gap after an import (Workato’s 15 minutes, shortened) is waited out by the rollback: %s',
    async (_name, busyAnswer) => {
      await world.restart({ sim: { importGapMs: 400, busyAnswer } })
      previousRelease()
      world.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
      const run = await world.run(withSnapshot)
      expect(run.outputs.outcome).toBe('rolled-back')
      expect(world.sim.busyRefusals).toBeGreaterThanOrEqual(1)
    }
  )

  test('a rollback still refused at wait-timeout gives up: rollback-failed, with the reason', async () => {
    await world.restart({ sim: { importGapMs: 60_000 } })
    previousRelease()
    world.sim.importScripts.push({ outcome: 'failed', error: 'Connection CRM is missing' })
    // the gap is the simulator's, in real time: a minute, so it outlasts the faster wait-timeout
    const run = await world.run({ ...withSnapshot, 'wait-timeout': '2' }, FAST_CLOCK)
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('rollback-failed')
    const error = errorLines(run).pop()
    expect(error).toContain('ROLLBACK FAILED')
    expect(error).toContain('another import into the target workspace is running')
    expect(error).toContain('gave up')
  })

  test('the main import refused because another import runs: says so and what to do, sent once', async () => {
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ message: 'Another import is already running for this workspace.' })
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    const posts = world.sim.requests.filter(r => r.url.startsWith('/api/packages/import/'))
    expect(posts).toHaveLength(1)
    const error = errorLines(run).pop()
    expect(error).toContain(
      'another import into the target workspace is running or ended too recently'
    )
    expect(error).toContain('concurrency')
    expect(error).not.toContain('restart-recipes')
  })
})

describe('hints that are true', () => {
  const running = {
    kind: 'status' as const,
    status: 400,
    body: JSON.stringify({
      message: 'Package contains running recipes. Set restart_recipes to true to restart them.'
    })
  }

  test('running recipes with restart-recipes false: the restart hint, not a wait', async () => {
    world.sim.fault('import', running)
    const run = await world.run()
    const error = errorLines(run).pop()
    expect(error).toContain('set restart-recipes: true')
    expect(error).not.toContain('another import')
  })

  test('the same words with restart-recipes already true: no restart hint', async () => {
    world.sim.fault('import', running)
    const run = await world.run({ 'restart-recipes': 'true' })
    expect(errorLines(run).pop()).not.toContain('set restart-recipes')
  })

  test('a 400 on the import that says nothing of recipes: no restart hint, the folder-id hint', async () => {
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ message: 'Invalid folder' })
    })
    const error = errorLines(await world.run()).pop()
    expect(error).not.toContain('restart-recipes')
    expect(error).toContain(
      `Check that folder ${FOLDER_ID} exists in the target workspace (folder-id)`
    )
  })

  test('a 500 on the export: Workato’s message and error id, and the manifest-id hint', async () => {
    world.sim.fault('export', {
      kind: 'status',
      status: 500,
      body: JSON.stringify({ message: 'Server error', id: '3188c2d0-a5e1-4c0d-9c2e-0f1d2e3c4b5a' })
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    const error = errorLines(run).pop()
    expect(error).toContain('"Server error (error id 3188c2d0-a5e1-4c0d-9c2e-0f1d2e3c4b5a)"')
    expect(error).toContain(
      'Check that export manifest 12 exists in the source workspace (manifest-id)'
    )
  })

  test('a failed export’s error_parts are shown', async () => {
    world.sim.exportScripts.push({
      outcome: 'failed',
      error: 'Export failed',
      errorParts: ['Recipe 12: connection Salesforce is not in the manifest']
    })
    const error = errorLines(await world.run()).pop()
    expect(error).toContain(
      'Export failed; Recipe 12: connection Salesforce is not in the manifest'
    )
  })

  test('413: the package is over Workato’s size limit', async () => {
    world.sim.fault('import', {
      kind: 'status',
      status: 413,
      body: JSON.stringify({ message: 'Request Entity Too Large' })
    })
    const error = errorLines(await world.run()).pop()
    expect(error).toContain('HTTP 413')
    expect(error).toContain("over Workato's size limit")
  })
})

describe('hosts and sizes as users meet them', () => {
  test('a base URL pasted with /api/ at the end, as Workato prints it, works', async () => {
    const run = await world.run({
      'source-host': `${world.sim.apiUrl}/api/`,
      'target-host': `${world.sim.apiUrl}/api`
    })
    expect(run.code).toBe(0)
    expect(world.sim.requests.every(r => !r.url.startsWith('/api/api/'))).toBe(true)
  })

  test('a data-center host where a code is meant: "did you mean", before any request', async () => {
    const run = await world.run({ 'target-host': 'app.eu.workato.com' })
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'target-host' is a host name: did you mean `eu` or `https://app.eu.workato.com`?"
    ])
    expect(world.sim.requests).toEqual([])
  })
})

test('a 101 MB package in import mode is sent with a warning naming the limit', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'big-package-'))
  const file = path.join(dir, 'package.zip')
  await writeLargePackage(file, 101 * 1024 * 1024)
  const { size } = await stat(file)
  const run = await world
    .run({ mode: 'import', 'package-path': file })
    .finally(() => rm(dir, { recursive: true, force: true }))
  expect(hasStackTrace(run)).toBe(false)
  const warned = warnings(run.stdout).filter(l => l.includes('import limit'))
  expect(warned).toHaveLength(1)
  expect(warned[0]).toContain('101.0 MiB: over the 100.0 MiB Workato documents')
  expect(world.sim.imports[0]?.size).toBe(size)
}, 60_000)
