/**
 * Connection readiness, the whole action in process: the connections the package's recipes use,
 * as the target holds them, before the import.
 */
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID } from '../../sim/scenario.js'
import { packageUsing } from '../../sim/zip.js'
import { errorLines, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })
const warnings = (stdout: string) => stdout.split('\n').filter(l => l.startsWith('::warning'))
const imports = () => world.sim.requests.filter(r => r.url.startsWith('/api/packages/import/'))
const INTEGRATIONS = '61'

beforeEach(() => {
  world.sim.workspace('dev').manifests[MANIFEST_ID] = packageUsing([
    {
      name: 'Sync accounts',
      apps: [
        { provider: 'salesforce', account: { name: 'SFDC Prod', folder: 'Integrations' } },
        { provider: 'clock', account: null }
      ]
    },
    {
      name: 'Notify on failure',
      apps: [
        { provider: 'slack', account: { name: 'Ops Slack', folder: '' } },
        { provider: 'jira', account: null }
      ]
    }
  ])
  const prod = world.sim.workspace('prod')
  prod.subfolders = [{ id: INTEGRATIONS, name: 'Integrations', parentId: FOLDER_ID }]
  prod.connections = [
    {
      id: 1,
      application: 'salesforce',
      name: 'SFDC Prod',
      folderId: INTEGRATIONS,
      authorizationStatus: 'success'
    },
    {
      id: 2,
      application: 'slack',
      name: 'Ops Slack',
      folderId: FOLDER_ID,
      authorizationStatus: 'success'
    }
  ]
})

describe('connection readiness', () => {
  test('every connection found and authorized in its folder: no warning; the output and summary say so', async () => {
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout)).toEqual([])
    expect(jsonOutput(run, 'connections')).toEqual([
      { name: 'SFDC Prod', provider: 'salesforce', folder: 'Integrations', status: 'authorized' },
      { name: 'Ops Slack', provider: 'slack', folder: '', status: 'authorized' }
    ])
    expect(run.summary).toContain('### Connections: 2 of 2 ready in the target')
    // a real connector whose connection the manifest left out is listed, not warned about
    expect(run.summary).toContain('Notify on failure uses a jira connection not in the package')
    expect(run.summary).not.toContain('clock')
  })

  test('warn: a connection that is not authorized gets one warning naming its recipes; the import goes on', async () => {
    item(world.sim.workspace('prod').connections ?? [], 0).authorizationStatus = 'failed'
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout)).toEqual([
      '::warning::Connection "SFDC Prod" (salesforce) in folder "Integrations" is not authorized in the target; ' +
        'recipes using it will not run until someone connects it: Sync accounts.'
    ])
    expect(imports()).toHaveLength(1)
  })

  test('a connection missing in the target: the import would create it without credentials', async () => {
    world.sim.workspace('prod').connections = world.sim.workspace('prod').connections!.slice(0, 1)
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout).join('\n')).toContain(
      'Connection "Ops Slack" (slack) in the import folder does not exist in the target: the import will create it without credentials'
    )
    const statuses = jsonOutput(run, 'connections') as Array<{ status: string }>
    expect(item(statuses, 1).status).toBe('missing')
  })

  test('fail: the run stops before the import, nothing sent', async () => {
    item(world.sim.workspace('prod').connections ?? [], 1).authorizationStatus = null
    const run = await world.run({ 'connection-check': 'fail' })
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain(
      `1 connection(s) will not work in folder ${FOLDER_ID} of the target workspace: "Ops Slack" (not-authorized). Nothing was imported`
    )
    expect(imports()).toEqual([])
  })

  test('off: no connection is looked up', async () => {
    const run = await world.run({ 'connection-check': 'off' })
    expect(run.code).toBe(0)
    expect(world.sim.requests.filter(r => r.url.startsWith('/api/connections'))).toEqual([])
    expect(run.outputs.connections).toBeUndefined()
  })

  test('a token without the privilege to list them: a warning, and the import goes on', async () => {
    world.sim.workspace('prod').denied = ['connections']
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(warnings(run.stdout).join('\n')).toContain("Could not check the package's connections")
    expect(warnings(run.stdout).join('\n')).toContain(
      'lacks one of the "Projects & folders", "Connections" privileges (HTTP 403)'
    )
    expect(imports()).toHaveLength(1)
  })
})
