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
    // the lazily loaded @actions/artifact chunk; a compose file's YAML parser is another, Torizon's own
    const artifactChunk = (dir: string) => {
      const found = readdirSync(dir)
        .filter(f => /^\d+\.index\.js$/.test(f))
        .filter(f => readFileSync(`${dir}/${f}`, 'utf8').includes('DefaultArtifactClient'))
      expect(found).toHaveLength(1)
      return `${dir}/${found[0] ?? ''}`
    }
    const [workatoChunk, torizonChunk] = [artifactChunk('dist'), artifactChunk('torizon/dist')]
    expect(workatoChunk.replace(/^dist\//, '')).toBe(torizonChunk.replace(/^torizon\/dist\//, ''))
    expect(readFileSync(workatoChunk).equals(readFileSync(torizonChunk))).toBe(true)
  })
})
