/**
 * Torizon given an error body nested 100,000 levels deep (well inside the 1 MiB cap): it ends with
 * the HTTP status and the words it could read, never a RangeError. Workato's case runs in process,
 * in ../workato/deep-json.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { useTorizon } from './torizon-world.js'
import { errorLines, hasStackTrace, visibleLog } from './world.js'

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

describe('Torizon: deep JSON in an error body', () => {
  // the Torizon world runs only the bundle: it has no in-process runner yet
  const world = useTorizon()

  test('an upload refused with a body 100,000 levels deep: the status and the words are kept', async () => {
    world.sim.fault('upload', {
      kind: 'status',
      status: 400,
      body: `{"code":"invalid","msg":"bad package","cause":${deep(100_000)}}`
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(visibleLog(run)).not.toMatch(/Unexpected error|RangeError|call stack/)
    expect(hasStackTrace(run)).toBe(false)
    const [error] = errorLines(run).slice(-1)
    expect(error).toContain('400')
    expect(error).toContain('bad package')
  })
})
