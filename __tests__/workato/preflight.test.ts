/**
 * Pre-flight, the whole action in process: a wrong source token or a missing manifest fails
 * before anything is exported; the target's pre-flight runs while Workato exports, and a wrong
 * target token or a missing folder fails before anything is imported (the export package left in
 * the source is harmless, and the message says so); what the API client may not look at is a
 * warning, and the promotion goes on.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, test } from '@jest/globals'
import { SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { errorLines, useWorld } from '../e2e/world.js'
import { output } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })
const exports = () => world.sim.requests.filter(r => r.url.startsWith('/api/packages/export/'))
const imports = () => world.sim.requests.filter(r => r.url.startsWith('/api/packages/import/'))
const warnings = (stdout: string) => stdout.split('\n').filter(l => l.startsWith('::warning'))

describe('pre-flight', () => {
  test('both tokens checked; each workspace named in the summary and the outputs', async () => {
    world.sim.workspace('dev').displayName = 'Acme DEV'
    world.sim.workspace('prod').displayName = 'Acme PROD'
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(run.outputs['source-workspace']).toBe('Acme DEV')
    expect(run.outputs['target-workspace']).toBe('Acme PROD')
    expect(run.summary).toContain(
      '### Pre-flight: source workspace **Acme DEV**, target workspace **Acme PROD**'
    )
    const side = (token: string | undefined) => (token?.includes('SOURCE') ? 'source' : 'target')
    const order = world.sim.requests.map(
      r => `${side(r.headers.authorization)} ${r.method} ${r.url.split('?')[0]}`
    )
    // the source's looks first, together; then the export and the target's looks, together
    expect(order.slice(0, 2).sort()).toEqual([
      'source GET /api/export_manifests/12',
      'source GET /api/users/me'
    ])
    expect(order.slice(2, 5).sort()).toEqual([
      'source POST /api/packages/export/12',
      'target GET /api/folders/34',
      'target GET /api/users/me'
    ])
  })

  test('a wrong target token fails the run naming target-token and the host: nothing imported or kept', async () => {
    const run = await world.run({ 'target-token': 'wrkprod-WRONG-0000000000000000' })
    expect(run.code).toBe(1)
    const error = errorLines(run).pop()
    expect(error).toContain('Workato refused the target token (HTTP 401)')
    expect(error).toContain(world.sim.apiUrl)
    expect(error).toContain('Check target-token')
    expect(error).toContain(
      'nothing was imported; the export package left in the source workspace is harmless'
    )
    expect(exports().length).toBeLessThanOrEqual(1)
    expect(imports()).toEqual([])
    expect(world.artifacts.calls).toEqual([])
  })

  test('a missing target folder fails the run naming folder-id: nothing imported', async () => {
    const run = await world.run({ 'folder-id': '999' })
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain(
      'Folder 999 was not found in the target workspace (pre-flight: nothing was imported; the export ' +
        'package left in the source workspace is harmless); check folder-id'
    )
    expect(imports()).toEqual([])
  })

  test('a missing export manifest fails before the export, an archived snapshot manifest before the import', async () => {
    const missing = await world.run({ 'manifest-id': '77' })
    expect(errorLines(missing).pop()).toContain(
      'Export manifest 77 was not found in the source workspace (pre-flight: nothing was exported or imported)'
    )
    expect(exports()).toEqual([])
    world.sim.workspace('prod').archivedManifests = [SNAPSHOT_MANIFEST_ID]
    const archived = await world.run({ 'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID })
    expect(errorLines(archived).pop()).toContain(
      `Export manifest ${SNAPSHOT_MANIFEST_ID} is archived (deleted) in the target workspace: check snapshot-manifest-id`
    )
    expect(imports()).toEqual([])
  })

  test('a 403 on pre-flight (a privilege the API client lacks) is a warning naming it; the promotion goes on', async () => {
    world.sim.workspace('prod').denied = ['me', 'folder']
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    const said = warnings(run.stdout)
    expect(said.some(w => w.includes('lacks the "Workspace details" privilege (HTTP 403)'))).toBe(
      true
    )
    expect(said.some(w => w.includes('lacks the "Projects & folders" privilege (HTTP 403)'))).toBe(
      true
    )
    expect(run.summary).toContain('target workspace (not known)')
    expect(imports()).toHaveLength(1)
  })

  test('an endpoint Workato does not have ("API not found") never fails a release', async () => {
    world.sim.fault('me', {
      kind: 'status',
      status: 404,
      body: JSON.stringify({ message: 'API not found' })
    })
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout).some(w => w.includes('Workato has no such endpoint here'))).toBe(
      true
    )
  })

  test('an outage at pre-flight is a warning too: the real calls will tell', async () => {
    world.sim.fault('folder', { kind: 'status', status: 503 }, 5)
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout).some(w => w.includes('could not check folder 34'))).toBe(true)
  })

  test('import mode checks the target before the import; preflight: false checks nothing', async () => {
    const exported = await world.run({ mode: 'export', 'target-token': '', 'folder-id': '' })
    const given = { 'package/p.zip': await readFile(output(exported, 'package-path')) }
    const wrong = await world.run(
      {
        mode: 'import',
        'source-token': '',
        'manifest-id': '',
        'package-path': 'package/p.zip',
        'folder-id': '999'
      },
      { files: given }
    )
    expect(errorLines(wrong).pop()).toContain(
      'Folder 999 was not found in the target workspace (pre-flight'
    )
    expect(imports()).toEqual([])

    const before = world.sim.requests.length
    // the same workflow run as the export above: keep no second artifact of that name
    const off = await world.run({ preflight: 'false', 'upload-artifact': 'false' })
    expect(off.code).toBe(0)
    const calls = world.sim.requests.slice(before).map(r => r.url)
    expect(calls.filter(u => u === '/api/users/me' || u.startsWith('/api/folders/'))).toEqual([])
  })
})
