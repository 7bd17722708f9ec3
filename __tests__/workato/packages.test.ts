import { describe, expect, test } from '@jest/globals'
import { isAnotherImport } from '../../src/workato/packages.js'

describe('an import refused for now because of another import', () => {
  test.each([
    [409, undefined],
    [429, 'Too many requests'],
    [400, 'Another import is in progress in this environment. Please try again later.'],
    [400, 'An import is already running for this workspace'],
    [422, 'Please wait 15 minutes between imports.'],
    [400, 'Import in progress'],
    [400, 'There is a mandatory buffer period between two imports']
  ])('%s %s: wait and ask again', (status, said) => {
    expect(isAnotherImport({ status, said })).toBe(true)
  })

  test.each([
    [400, 'Package contains running recipes. Set restart_recipes to true to restart them.'],
    [400, 'Recipes in this folder are running; try again later'],
    [400, 'Invalid package: not a zip file'],
    [400, undefined],
    [422, 'Folder is a project; set folder_id_for_home_assets'],
    [500, 'Another import is in progress'],
    [401, 'Another import is in progress']
  ])('%s %s: not a wait', (status, said) => {
    expect(isAnotherImport({ status, said })).toBe(false)
  })
})
