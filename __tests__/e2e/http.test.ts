/**
 * HTTP through the bundle, where the leak scan reads a real process's whole output (its stderr
 * too): the two tests that put pre-signed URLs in the action's way. The rest of the HTTP tests
 * run in process, in ../workato/http.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import { errorLines, leaks, useWorld } from './world.js'

const world = useWorld()

describe('downloads', () => {
  // every try refused with a signed URL in hand: no part of one in anything the process printed
  test('URLs that are always expired: a clear failure, no URL printed, nothing imported', async () => {
    world.sim.urlTtlMs = -1
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.importPosts).toEqual([])
    const [error] = errorLines(run)
    expect(error).toContain('The download of package 240 failed after 5 tries')
    expect(error).toContain('pre-signed download link was refused each time')
    expect(leaks(run, world.sim)).toEqual([])
    expect(run.outputs['package-path']).toBeUndefined()
  })

  // a signed URL in a Location header the action refuses to follow, scanned for the same way
  test('a redirect to plain http on another host is not followed', async () => {
    world.sim.fault('download', {
      kind: 'redirect',
      location: 'http://storage.example.com/p.zip?X-Amz-Signature=abc'
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(world.sim.requests.filter(r => r.host === 'storage')).toHaveLength(0)
    expect(errorLines(run)[0]).toContain('only https is followed')
    expect(leaks(run, world.sim, ['storage.example.com/p.zip'])).toEqual([])
  })
})
