/**
 * Workato given an error body nested 100,000 levels deep (well inside the 1 MiB cap), in process:
 * the run ends with the HTTP status and the words it could read, never a RangeError. Torizon's
 * case runs through its bundle, in ../e2e/deep-json.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { errorLines, hasStackTrace, useWorld, visibleLog } from '../e2e/world.js'

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

describe('Workato: deep JSON in an error body', () => {
  const world = useWorld({ runner: 'in-process' })

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
