/** The import step alone: the package's bytes imported, waited for, and every recipe's result read. */
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { FOLDER_ID } from '../../../sim/scenario.js'
import { samplePackage } from '../../../sim/zip.js'
import type { ImportConfig } from '../../../src/workato/inputs.js'
import { checkGivenPackage } from '../../../src/workato/steps/package.js'
import { importAndVerify } from '../../../src/workato/steps/import.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess(sim => {
  sim.importScript = { ...sim.importScript, runningChecks: 1 }
  process.env.WORKATO_PROMOTE_CLOCK_SCALE = '0.01'
})

/** Import mode's context with a three-recipe package on disk, checked as the flow would. */
async function ready() {
  const file = path.join(steps.temp, 'release.zip')
  await writeFile(file, samplePackage(['Sync accounts', 'Notify on failure', 'Nightly export']))
  const { run, config, record } = steps.context({ mode: 'import', 'package-path': file })
  const pkg = await checkGivenPackage(config as ImportConfig, record)
  return { run, config: config as ImportConfig, record, pkg }
}

describe('importAndVerify', () => {
  test('the same bytes reach the folder; every recipe result is recorded; no failure', async () => {
    const { run, config, record, pkg } = await ready()
    await importAndVerify(run, config, pkg)
    expect(steps.sim.imports.map(i => [i.folderId, i.sha256])).toEqual([[FOLDER_ID, pkg.sha256]])
    expect(record.import?.sentSha256).toBe(pkg.sha256)
    expect(record.import?.recipes?.map(r => r.ok)).toEqual([true, true, true])
    expect(record.failures).toEqual([])
    expect(record.stage).toBe('verify')
  })

  test('a recipe that did not import cleanly: one failure naming the count and folder', async () => {
    steps.sim.importScript = {
      ...steps.sim.importScript,
      recipeStatus: [
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'stop_failed' },
        { id: 3, import_result: 'no_update_or_update_without_restart' }
      ]
    }
    const { run, config, record, pkg } = await ready()
    await importAndVerify(run, config, pkg)
    expect(record.import?.recipes?.filter(r => !r.ok).map(r => r.id)).toEqual(['2'])
    expect(record.failures).toEqual([
      `1 of 3 recipes did not import cleanly into folder ${FOLDER_ID}.`
    ])
  })

  test('an import Workato fails: its words, and what may be left stopped', async () => {
    steps.sim.importScript = { ...steps.sim.importScript, outcome: 'failed', error: 'Bad asset' }
    const { run, config, record, pkg } = await ready()
    await importAndVerify(run, config, pkg)
    expect(record.failures).toEqual([
      'Workato reports that import package 240 failed: Bad asset. Some recipes may have been ' +
        'updated and left stopped: check the target folder.'
    ])
  })

  test('no recipe results for a package with recipes: unknown is not a success', async () => {
    steps.sim.importScript = { ...steps.sim.importScript, recipeStatus: [] }
    const { run, config, record, pkg } = await ready()
    await importAndVerify(run, config, pkg)
    expect(record.failures).toEqual([
      expect.stringContaining(
        'Workato reported no recipe results for 3 recipes (import package 240)'
      )
    ])
  })
})
