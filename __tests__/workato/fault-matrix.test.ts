/**
 * The fault matrix (its cells in ../e2e/fault-cells.ts), run in process: every cell but the ones
 * over TLS, whose certificate only a process started with NODE_EXTRA_CA_CERTS trusts; those run
 * through the bundle in ../e2e/fault-matrix.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import {
  allowedPosts,
  expectedOf,
  matrix,
  packageFiles,
  play,
  rows,
  says,
  seen
} from '../e2e/fault-cells.js'
import { errorLines, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })

describe('fault matrix', () => {
  test('covers every endpoint and the storage host', () => {
    const routes = new Set(matrix.map(c => c.route))
    expect([...routes].sort()).toEqual(['download', 'export', 'import', 'status', 'storage'])
    expect(matrix.length).toBeGreaterThan(80)
    const survived = matrix.filter(c => c.expected.ok).length
    console.log(
      `fault matrix: ${matrix.length} cells; ${survived} retried and succeeded, ` +
        `${matrix.length - survived} failed cleanly with a message`
    )
  })

  test.each(rows(matrix.filter(c => !c.tls)))('%s: %s', async (_route, _name, cell) => {
    const run = await play(world, cell)
    const allowed = allowedPosts(cell)
    const got = await seen(world.sim, run)
    // never a second export or import unless Workato refused the first
    expect(got.posts.export).toBeLessThanOrEqual(allowed.export)
    expect(got.posts.import).toBeLessThanOrEqual(allowed.import)
    // the verdict, the POSTs sent, the bytes imported, no stack, nothing half-written
    expect(got).toEqual(expectedOf(cell))
    for (const said of says(cell)) expect(errorLines(run)[0]).toMatch(said)
    const { files, expected } = await packageFiles(run)
    expect(files).toEqual(expected)
  })
})
