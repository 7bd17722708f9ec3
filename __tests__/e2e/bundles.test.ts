/**
 * What the built bundles carry: each action only its own platform's words (the Torizon bundle
 * once ended with "Nothing was imported"), and code a reviewer can read in a dist/ diff.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, test } from '@jest/globals'

const workato = readFileSync('dist/index.js', 'utf8')
const torizon = readFileSync('torizon/dist/index.js', 'utf8')

describe('the bundles', () => {
  test('the Torizon bundle says nothing of Workato', () => {
    expect(torizon).not.toMatch(/workato|recipe|Nothing was imported/i)
    expect(torizon).toContain('Nothing was sent to Torizon Cloud.')
  })

  test('the Workato bundle says nothing of Torizon', () => {
    expect(workato).not.toMatch(/torizon|fleet/i)
    expect(workato).toContain('Nothing was imported.')
  })

  test('they are not minified: our functions keep their names and lines', () => {
    for (const bundle of [workato, torizon]) {
      expect(bundle).toMatch(/^async function runOnce\(platform\) \{$/m)
      expect(bundle).toMatch(/^function readInputs\(declared\) \{$/m)
    }
  })
})
