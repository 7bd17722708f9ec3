/** The export step alone: one manifest exported, waited for and downloaded, its bytes proven. */
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { MANIFEST_ID } from '../../../sim/scenario.js'
import type { PromoteConfig } from '../../../src/workato/inputs.js'
import { checkPackagePath, exportPackage } from '../../../src/workato/steps/export.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess(sim => {
  sim.exportScript = { ...sim.exportScript, runningChecks: 1 }
  // the poll clock 100 times faster: a second between status checks takes 10 ms
  process.env.WORKATO_PROMOTE_CLOCK_SCALE = '0.01'
})
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const manifestBytes = () => steps.sim.workspace('dev').manifests[MANIFEST_ID] as Buffer

describe('exportPackage', () => {
  test('the manifest’s bytes land at package-path, hashed, with their assets and the package id', async () => {
    const { run, config, record } = steps.context()
    const pkg = await exportPackage(run, config as PromoteConfig)
    const onDisk = await readFile(pkg.path)
    expect(onDisk.equals(manifestBytes())).toBe(true)
    expect(pkg.sha256).toBe(sha256(onDisk))
    expect(record.export).toEqual({ packageId: '240' })
    expect(pkg.inventory?.filter(a => a.type === 'recipe')).toHaveLength(3)
    expect(steps.sim.exportPosts).toEqual([MANIFEST_ID])
    // the job was asked about until it completed, then downloaded once
    expect(steps.sim.jobStatusChecks(240)).toBeGreaterThanOrEqual(2)
    expect(record.stage).toBe('download')
  })

  test('an export Workato fails: its reason and what to check, and nothing downloaded', async () => {
    steps.sim.exportScript = {
      ...steps.sim.exportScript,
      outcome: 'failed',
      error: 'Manifest contains a deleted recipe'
    }
    const { run, config, record } = steps.context()
    await expect(exportPackage(run, config as PromoteConfig)).rejects.toThrow(
      `Workato could not export manifest ${MANIFEST_ID} (package 240) from the source workspace: ` +
        'Manifest contains a deleted recipe. Check that export manifest in the source workspace.'
    )
    expect(record.stage).toBe('wait for export')
    expect(steps.sim.requests.filter(r => r.host === 'storage')).toEqual([])
  })
})

describe('checkPackagePath', () => {
  test('a file there that is not a package is never replaced', async () => {
    const file = path.join(steps.temp, 'notes.txt')
    await writeFile(file, 'release notes')
    const { config } = steps.context({ 'package-path': file })
    await expect(checkPackagePath(config)).rejects.toThrow("Input 'package-path'")
    expect(await readFile(file, 'utf8')).toBe('release notes')
  })

  test('a new path is fine', async () => {
    const { config } = steps.context({ 'package-path': path.join(steps.temp, 'new.zip') })
    await expect(checkPackagePath(config)).resolves.toBeUndefined()
  })
})
