/**
 * src/shared/ is what any platform reuses: it names none, in imports or in words, so neither
 * action's bundle carries the other's sentences (the Torizon one once said "Nothing was imported").
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'

const SHARED = path.join('src', 'shared')
const PLATFORM_WORDS = /workato|torizon|recipe|fleet|nothing was imported|nothing was sent/i

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

describe('src/shared names no platform', () => {
  const files = sources(SHARED)

  test('it has files to check', () => {
    expect(files.length).toBeGreaterThan(10)
  })

  test.each(files)('%s', file => {
    const lines = readFileSync(file, 'utf8').split('\n')
    const found = lines
      .map((line, i) => ({ line: i + 1, text: line.trim() }))
      .filter(
        ({ text }) => PLATFORM_WORDS.test(text) || /from '\.\.\/(workato|torizon)\//.test(text)
      )
    expect(found).toEqual([])
  })
})
