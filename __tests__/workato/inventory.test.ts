import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { ActionError } from '../../src/shared/errors.js'
import { assetType, countByType, inventory } from '../../src/workato/inventory.js'
import { hostileZips, makeZip, samplePackage } from '../../sim/zip.js'

let dir = ''
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inventory-'))
})
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})
const write = async (name: string, bytes: Buffer) => {
  const file = path.join(dir, name)
  await fs.writeFile(file, bytes)
  return file
}

describe('inventory', () => {
  test('types from file names', () => {
    expect(assetType('A/b.recipe.json')).toBe('recipe')
    expect(assetType('c.connection.json')).toBe('connection')
    expect(assetType('F/x.lookup_table.json')).toBe('lookup_table')
    expect(assetType('x.test_case.json')).toBe('test_case')
    expect(assetType('x.api_endpoint.json')).toBe('api_endpoint')
    expect(assetType('account_properties.properties.json')).toBe('properties')
    expect(assetType('properties.project_properties.json')).toBe('properties')
    expect(assetType('my.custom_adapter.json')).toBe('custom_connector')
    expect(assetType('my.rb')).toBe('custom_connector_file')
    expect(assetType('readme.txt')).toBe('other')
  })

  test('lists every asset with its folder, recipe names from their JSON, no folder entries', async () => {
    const assets = await inventory(
      await write('sample.zip', samplePackage(['Sync accounts', 'Notify | <b>']))
    )
    expect(assets).toEqual([
      {
        path: 'Integrations/crm_connection.connection.json',
        type: 'connection',
        name: 'crm_connection'
      },
      { path: 'Integrations/sync_accounts.recipe.json', type: 'recipe', name: 'Sync accounts' },
      { path: 'Integrations/notify_b_.recipe.json', type: 'recipe', name: 'Notify | <b>' },
      { path: 'account_properties.properties.json', type: 'properties', name: 'account_properties' }
    ])
    expect(countByType(assets)).toEqual([
      ['recipe', 2],
      ['connection', 1],
      ['properties', 1]
    ])
  })

  test('a recipe whose JSON is broken is listed under its file name', async () => {
    const zip = makeZip([{ name: 'r/broken.recipe.json', content: '{"name": ' }])
    expect(await inventory(await write('broken.zip', zip))).toEqual([
      { path: 'r/broken.recipe.json', type: 'recipe', name: 'broken' }
    ])
  })

  test.each([
    ['too many entries', hostileZips.tooManyEntries, /10001 entries/],
    ['huge declared sizes', hostileZips.hugeDeclaredSizes, /declare \d+ bytes uncompressed/],
    ['names that escape their folder', hostileZips.escapingNames, /escapes its folder/]
  ])('refuses a hostile zip: %s', async (_what, make, problem) => {
    const error = await inventory(await write('hostile.zip', make())).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as Error).message).toMatch(problem)
    expect((error as Error).message).toContain('Nothing was imported')
  })
})
