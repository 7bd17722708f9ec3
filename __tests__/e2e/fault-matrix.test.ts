/**
 * The fault matrix's TLS cells (the matrix is ../e2e/fault-cells.ts; the rest of it runs in
 * process, in ../workato/fault-matrix.test.ts), through the bundle.
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
} from './fault-cells.js'
import { errorLines, useWorld } from './world.js'

const world = useWorld({ tls: true })

describe('fault matrix over TLS', () => {
  // a redirect from https to http needs an https simulator the action trusts, and it trusts one
  // only through NODE_EXTRA_CA_CERTS, read when its process starts: these cells need a process
  test.each(rows(matrix.filter(c => c.tls)))('%s: %s', async (_route, _name, cell) => {
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
