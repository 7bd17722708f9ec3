/** The connections step alone: each connection the package's recipes use, as the target holds it. */
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { beforeEach, describe, expect, test } from '@jest/globals'
import { FOLDER_ID } from '../../../sim/scenario.js'
import { packageUsing } from '../../../sim/zip.js'
import type { ImportConfig } from '../../../src/workato/inputs.js'
import { checkConnections } from '../../../src/workato/steps/connections.js'
import { checkGivenPackage } from '../../../src/workato/steps/package.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess()
const INTEGRATIONS = '61'
const connectionCalls = () => steps.sim.callsBy('connections')

beforeEach(() => {
  const prod = steps.sim.workspace('prod')
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
      authorizationStatus: 'failed'
    }
  ]
})

async function ready(inputs: Record<string, string> = {}) {
  const file = path.join(steps.temp, 'release.zip')
  await writeFile(
    file,
    packageUsing([
      {
        name: 'Sync accounts',
        apps: [
          { provider: 'salesforce', account: { name: 'SFDC Prod', folder: 'Integrations' } },
          { provider: 'jira', account: null }
        ]
      },
      { name: 'Notify', apps: [{ provider: 'slack', account: { name: 'Ops Slack', folder: '' } }] },
      { name: 'Tickets', apps: [{ provider: 'zendesk', account: { name: 'Desk', folder: '' } }] }
    ])
  )
  const { run, config, record } = steps.context({
    mode: 'import',
    'package-path': file,
    ...inputs
  })
  const pkg = await checkGivenPackage(config as ImportConfig, record)
  return { run, config: config as ImportConfig, record, pkg }
}

describe('checkConnections', () => {
  test('warn: each connection’s status recorded, with the recipes outside any connection', async () => {
    const { run, config, record, pkg } = await ready()
    await checkConnections(run, config, pkg)
    expect(record.connections?.statuses.map(s => [s.name, s.status])).toEqual([
      ['SFDC Prod', 'authorized'],
      ['Ops Slack', 'not-authorized'],
      ['Desk', 'missing']
    ])
    expect(record.connections?.outside).toEqual([{ recipe: 'Sync accounts', provider: 'jira' }])
    expect(record.stage).toBe('connections')
  })

  test('fail: stops before anything is sent, naming each connection that will not work', async () => {
    const { run, config, pkg } = await ready({ 'connection-check': 'fail' })
    await expect(checkConnections(run, config, pkg)).rejects.toThrow(
      `2 connection(s) will not work in folder ${FOLDER_ID} of the target workspace: ` +
        '"Ops Slack" (not-authorized), "Desk" (missing). Nothing was imported'
    )
    expect(steps.sim.importPosts).toEqual([])
  })

  test('off: not one call', async () => {
    const { run, config, record, pkg } = await ready({ 'connection-check': 'off' })
    await checkConnections(run, config, pkg)
    expect(connectionCalls()).toBe(0)
    expect(record.connections).toBeUndefined()
  })

  test('the folder’s connections are listed once per run, however often they are asked for', async () => {
    const { run, config, pkg } = await ready()
    await checkConnections(run, config, pkg)
    const once = connectionCalls()
    await checkConnections(run, config, pkg)
    expect(once).toBeGreaterThan(0)
    expect(connectionCalls()).toBe(once)
  })
})
