/**
 * Both actions given error bodies nested 100,000 levels deep (well inside the 1 MiB cap): each
 * ends with the HTTP status and the words it could read, never a RangeError.
 */
import { describe, expect, test } from '@jest/globals'
import { useTorizon } from './torizon-world.js'
import { errorLines, hasStackTrace, startWorld, visibleLog, type World } from './world.js'
import { afterEach, beforeEach } from '@jest/globals'

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

describe('Workato: deep JSON in an error body', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.stop()
  })

  test('error_parts 100,000 levels deep: the status and the message are kept', async () => {
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: `{"message":"Folder is locked","error_parts":${deep(100_000)}}`
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(visibleLog(run)).not.toMatch(/Unexpected error|RangeError|call stack/)
    expect(hasStackTrace(run)).toBe(false)
    const [error] = errorLines(run).slice(-1)
    expect(error).toContain('HTTP 400')
    expect(error).toContain('Folder is locked')
    expect(run.outputs.outcome).toBe('failed')
  })
})

describe('Torizon: deep JSON in an error body', () => {
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
