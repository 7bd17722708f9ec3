/**
 * The fault matrix (its cells in ../e2e/fault-cells.ts), run in process: every cell but the ones
 * over TLS, whose certificate only a process started with NODE_EXTRA_CA_CERTS trusts; those run
 * through the bundle in ../e2e/fault-matrix.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { expectCell, matrix, rows } from '../e2e/fault-cells.js'
import { useWorld } from '../e2e/world.js'

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
    await expectCell(world, cell)
  })
})
