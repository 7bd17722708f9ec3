/**
 * The calls a promotion makes, per quota collection, against a known tree: the formula the
 * README's "Calls, quotas and time" gives, checked in process against the simulator.
 */
import { expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID, SOURCE_TOKEN, TARGET_TOKEN } from '../../sim/scenario.js'
import type { Workspace } from '../../sim/workato.js'
import { packageUsing } from '../../sim/zip.js'
import { outcomeOf } from '../../src/workato/record.js'
import { useInProcess } from './in-process.js'

const steps = useInProcess(sim => {
  sim.exportScript = { ...steps.sim.exportScript, runningChecks: 2 }
  sim.importScript = { ...steps.sim.importScript, runningChecks: 1 }
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
  const topCount = 150
  const counts: Record<string, number> = { [FOLDER_ID]: topCount, '60': 5, '61': 0, '62': 3 }
  const recipes: NonNullable<Workspace['recipes']> = []
  let id = 1000
  for (const [folderId, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) recipes.push({ id: id++, name: `R${id}`, folderId, running: true })
  }
  const prod = steps.sim.workspace('prod')
  Object.assign(prod, { subfolders: tree, recipes, folders: [...prod.folders, '60', '61', '62'] })
  steps.sim.workspace('dev').manifests[MANIFEST_ID] = packageUsing([
    {
      name: 'Sync',
      apps: [
        { provider: 'rest', account: { name: 'CRM', folder: '' } },
        { provider: 'slack', account: { name: 'Alerts', folder: 'Jobs' } }
      ]
    }
  ])
  // the import leaves one recipe of the top folder stopped: it is started and read back
  steps.sim.importScript = {
    ...steps.sim.importScript,
    recipeStatus: [{ id: 1000, import_result: 'restart_failed' }]
  }

  const record = await steps.run({ 'restart-recipes': 'true' })
  expect(outcomeOf(record)).toBe('failed')
  expect(record.running?.started.map(r => r.id)).toEqual(['1000'])

  const folders = Object.keys(counts)
  const children = (f: string) => tree.filter(t => t.parentId === f).length
  const recipePages = Object.values(counts).reduce((sum, n) => sum + pages(n), 0)
  // after the import only the folders that held a running recipe are read again
  const runningPages = Object.values(counts)
    .filter(n => n > 0)
    .reduce((sum, n) => sum + pages(n), 0)
  const [exportId, importId] = [240, 241]
  const expected = {
    source: {
      // users/me; the manifest, the export, its status checks, the download
      workspace: 1,
      rlm: 3 + steps.sim.jobStatusChecks(exportId)
    },
    target: {
      workspace: 1,
      // pre-flight's folder; each folder's children, once
      folders: 1 + folders.reduce((sum, f) => sum + pages(children(f)), 0),
      // each folder the package's connections are in, once (the import folder among them)
      connections: 2,
      // every folder's recipe pages before, the running ones' after; one start; the started
      // one's folder again
      recipes: recipePages + runningPages + 1 + pages(topCount),
      import: 1,
      rlm: steps.sim.jobStatusChecks(importId)
    }
  }
  const seen = (token: string, of: Record<string, number>) =>
    Object.fromEntries(Object.keys(of).map(c => [c, steps.sim.callsBy(c as never, token)]))
  expect(seen(SOURCE_TOKEN, expected.source)).toEqual(expected.source)
  expect(seen(TARGET_TOKEN, expected.target)).toEqual(expected.target)
  expect(expected.target.recipes).toBe(5 + 4 + 1 + 2)
  expect(steps.sim.callsBy()).toBe(
    Object.values({ ...expected.source }).reduce((a, b) => a + b, 0) +
      Object.values(expected.target).reduce((a, b) => a + b, 0)
  )
})
