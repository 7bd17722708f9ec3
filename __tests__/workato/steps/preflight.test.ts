/** The pre-flight step alone, one side at a time: what stops a run, and what is only a warning. */
import { describe, expect, test } from '@jest/globals'
import { preflight } from '../../../src/workato/steps/preflight.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess(sim => {
  sim.workspace('dev').displayName = 'Acme DEV'
  sim.workspace('prod').displayName = 'Acme PROD'
})
const calls = () => steps.sim.requests.map(r => `${r.method} ${r.url.split('?')[0]}`)

describe('preflight', () => {
  test('the source: its workspace named, its manifest looked at, nothing exported', async () => {
    const { run, record } = steps.context()
    await preflight(run, 'source')
    expect(record.preflight?.source).toMatchObject({ workspace: 'Acme DEV', warnings: [] })
    expect(calls()).toEqual(expect.arrayContaining(['GET /api/users/me']))
    expect(steps.sim.exportPosts).toEqual([])
    expect(record.stage).toBe('preflight')
  })

  test('the target beside the export: the stage stays the export’s, the words say what is left', async () => {
    const { run, record } = steps.context({ 'folder-id': '999' })
    record.stage = 'wait for export'
    await expect(preflight(run, 'target', { exporting: true })).rejects.toThrow(
      'Folder 999 was not found in the target workspace (pre-flight: nothing was imported; the export ' +
        'package left in the source workspace is harmless); check folder-id'
    )
    expect(record.stage).toBe('wait for export')
  })

  test('a refused token stops the run, naming the input and the host', async () => {
    const { run } = steps.context({ 'target-token': 'wrkprod-WRONG-0000000000000000' })
    const error = await preflight(run, 'target').catch((e: unknown) => e)
    expect(String(error)).toContain('Workato refused the target token (HTTP 401)')
    expect(String(error)).toContain(steps.sim.apiUrl)
    expect(String(error)).toContain('nothing was exported or imported')
  })

  test('a privilege the API client lacks is a warning per look; the run goes on', async () => {
    steps.sim.workspace('prod').denied = ['me', 'folder']
    const { run, record } = steps.context()
    await expect(preflight(run, 'target')).resolves.toBeUndefined()
    const warnings = record.preflight?.target?.warnings ?? []
    expect(warnings).toEqual([
      expect.stringContaining('lacks the "Workspace details" privilege (HTTP 403)'),
      expect.stringContaining('lacks the "Projects & folders" privilege (HTTP 403)')
    ])
    expect(record.preflight?.target?.workspace).toBeUndefined()
  })

  test('preflight: false looks at nothing', async () => {
    const { run, record } = steps.context({ preflight: 'false' })
    await preflight(run, 'source')
    await preflight(run, 'target')
    expect(steps.sim.requests).toEqual([])
    expect(record.preflight).toBeUndefined()
  })
})
