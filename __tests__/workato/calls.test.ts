/**
 * The calls a promotion makes, per quota collection, against a known tree: the formula the
 * README's "Calls, quotas and time" gives, checked in process against the simulator.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest, test } from '@jest/globals'
import {
  FOLDER_ID,
  MANIFEST_ID,
  promoteInputs,
  SOURCE_TOKEN,
  TARGET_TOKEN,
  twoWorkspaces
} from '../../sim/scenario.js'
import type { WorkatoSimulator, Workspace } from '../../sim/workato.js'
import { packageUsing } from '../../sim/zip.js'
import { runSteps } from '../../src/workato/flow.js'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, outcomeOf } from '../../src/workato/record.js'

let sim: WorkatoSimulator
let temp = ''
const saved = { ...process.env }
beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => {
  jest.restoreAllMocks()
})
beforeEach(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'calls-'))
  Object.assign(process.env, {
    RUNNER_TEMP: temp,
    WORKATO_PROMOTE_RETRY_BASE_MS: '20',
    WORKATO_PROMOTE_QUOTA_WINDOW_MS: '300'
  })
  sim = await twoWorkspaces().start()
  sim.exportScript = { ...sim.exportScript, runningChecks: 2 }
  sim.importScript = { ...sim.importScript, runningChecks: 1 }
})
afterEach(async () => {
  await sim.stop()
  await rm(temp, { recursive: true, force: true })
  process.env = { ...saved }
})

/** Pages of a list of `n` items: a page shorter than 100 is the last, so 100 items take two. */
const pages = (n: number) => Math.floor(n / 100) + 1

test('promote with every check on: the calls per collection are the README formula', async () => {
  // the target folder: 150 recipes; Jobs (5) holding Nightly (3); Archive (none)
  const tree = [
    { id: '60', name: 'Jobs', parentId: FOLDER_ID },
    { id: '61', name: 'Archive', parentId: FOLDER_ID },
    { id: '62', name: 'Nightly', parentId: '60' }
  ]
  const counts: Record<string, number> = { [FOLDER_ID]: 150, '60': 5, '61': 0, '62': 3 }
  const recipes: NonNullable<Workspace['recipes']> = []
  let id = 1000
  for (const [folderId, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) recipes.push({ id: id++, name: `R${id}`, folderId, running: true })
  }
  const prod = sim.workspace('prod')
  Object.assign(prod, { subfolders: tree, recipes, folders: [...prod.folders, '60', '61', '62'] })
  sim.workspace('dev').manifests[MANIFEST_ID] = packageUsing([
    {
      name: 'Sync',
      apps: [
        { provider: 'rest', account: { name: 'CRM', folder: '' } },
        { provider: 'slack', account: { name: 'Alerts', folder: 'Jobs' } }
      ]
    }
  ])
  // the import leaves one recipe of the top folder stopped: it is started and read back
  sim.importScript = {
    ...sim.importScript,
    recipeStatus: [{ id: 1000, import_result: 'restart_failed' }]
  }

  const all: Record<string, string> = {
    ...promoteInputs(sim),
    'upload-artifact': 'false',
    'restart-recipes': 'true'
  }
  const config = parseInputs(name => all[name] ?? '', { RUNNER_TEMP: temp })
  const record = newRecord(config)
  await runSteps(config, record)
  expect(outcomeOf(record)).toBe('failed')
  expect(record.running?.started.map(r => r.id)).toEqual(['1000'])

  const folders = Object.keys(counts)
  const children = (f: string) => tree.filter(t => t.parentId === f).length
  const recipePages = folders.reduce((sum, f) => sum + pages(counts[f]), 0)
  const [exportId, importId] = [240, 241]
  const expected = {
    source: {
      // users/me; the manifest, the export, its status checks, the download
      workspace: 1,
      rlm: 3 + sim.jobStatusChecks(exportId)
    },
    target: {
      workspace: 1,
      // pre-flight's folder; each folder's children, once
      folders: 1 + folders.reduce((sum, f) => sum + pages(children(f)), 0),
      // each folder the package's connections are in, once (the import folder among them)
      connections: 2,
      // every folder's recipe pages before and after; one start; the started one's folder again
      recipes: 2 * recipePages + 1 + pages(counts[FOLDER_ID]),
      import: 1,
      rlm: sim.jobStatusChecks(importId)
    }
  }
  const seen = (token: string, of: Record<string, number>) =>
    Object.fromEntries(Object.keys(of).map(c => [c, sim.callsBy(c as never, token)]))
  expect(seen(SOURCE_TOKEN, expected.source)).toEqual(expected.source)
  expect(seen(TARGET_TOKEN, expected.target)).toEqual(expected.target)
  expect(expected.target.recipes).toBe(2 * 5 + 1 + 2)
  expect(sim.callsBy()).toBe(
    Object.values({ ...expected.source }).reduce((a, b) => a + b, 0) +
      Object.values(expected.target).reduce((a, b) => a + b, 0)
  )
})
