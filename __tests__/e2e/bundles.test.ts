/**
 * What the built bundles carry: each action only its own platform's words (the Torizon bundle
 * once ended with "Nothing was imported"), and code a reviewer can read in a dist/ diff.
 */
import { readdirSync, readFileSync } from 'node:fs'
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

  test('they share the artifact chunk byte for byte: git stores it once', () => {
    const chunks = (dir: string) => readdirSync(dir).filter(f => /^\d+\.index\.js$/.test(f))
    expect(chunks('dist')).toEqual(chunks('torizon/dist'))
    expect(chunks('dist').length).toBeGreaterThan(0)
    for (const chunk of chunks('dist')) {
      expect(readFileSync(`dist/${chunk}`).equals(readFileSync(`torizon/dist/${chunk}`))).toBe(true)
    }
  })
})
