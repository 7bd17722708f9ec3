/**
 * The fault matrix's TLS cells (the matrix is ../e2e/fault-cells.ts; the rest of it runs in
 * process, in ../workato/fault-matrix.test.ts), through the bundle.
 */
import { describe, test } from '@jest/globals'
import { expectCell, matrix, rows } from './fault-cells.js'
import { useWorld } from './world.js'

const world = useWorld({ tls: true })

describe('fault matrix over TLS', () => {
  // a redirect from https to http needs an https simulator the action trusts, and it trusts one
  // only through NODE_EXTRA_CA_CERTS, read when its process starts: these cells need a process
  test.each(rows(matrix.filter(c => c.tls)))('%s: %s', async (_route, _name, cell) => {
    await expectCell(world, cell)
  })
})
