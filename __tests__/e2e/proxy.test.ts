/**
 * Self-hosted runners behind a corporate proxy. http-client never proxies loopback, so here the
 * simulator is served over https under names no DNS knows (workato.test, storage.test), which
 * only the proxy can reach: a run that succeeds went through it.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { ConnectProxy } from '../../sim/proxy.js'
import { errorLines, useWorld } from './world.js'

const world = useWorld({ tls: true, sim: { apiName: 'workato.test', storageName: 'storage.test' } })
let proxy: ConnectProxy
beforeEach(async () => {
  proxy = await new ConnectProxy({
    'workato.test': { host: '127.0.0.1', port: world.sim.apiPort },
    'storage.test': { host: '127.0.0.2', port: world.sim.storagePort }
  }).start()
})
afterEach(async () => {
  await proxy.stop()
})

describe('proxies', () => {
  test('HTTPS_PROXY carries the API and the storage host; the token still goes to the API only', async () => {
    const run = await world.run({}, { env: { HTTPS_PROXY: proxy.url } })
    expect(errorLines(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(proxy.connects).toContain(`workato.test:${world.sim.apiPort}`)
    expect(proxy.connects).toContain(`storage.test:${world.sim.storagePort}`)
    expect(
      world.sim.requests.filter(r => r.host === 'storage').every(r => !r.headers.authorization)
    ).toBe(true)
    expect(world.sim.imports).toHaveLength(1)
    // @actions/artifact's blob upload honours the proxy too
    expect(proxy.forwarded.some(f => f.startsWith('PUT '))).toBe(true)
  })

  test('lower-case https_proxy works too', async () => {
    const run = await world.run({}, { env: { https_proxy: proxy.url } })
    expect(run.code).toBe(0)
    expect(proxy.connects.length).toBeGreaterThan(0)
  })

  test('proxy credentials reach the proxy and are never printed', async () => {
    const url = new URL(proxy.url)
    url.username = 'svc-runner'
    url.password = 'Pr0xy-S3cret'
    const run = await world.run({}, { env: { HTTPS_PROXY: url.href } })
    expect(run.code).toBe(0)
    expect(proxy.authorizations[0]).toBe(
      `Basic ${Buffer.from('svc-runner:Pr0xy-S3cret').toString('base64')}`
    )
    expect(run.stdout + run.stderr + run.summary).not.toContain('Pr0xy-S3cret')
  })

  test('NO_PROXY is honoured: a host listed there is reached directly', async () => {
    const run = await world.run({}, { env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'storage.test' } })
    // storage.test resolves nowhere, so going direct fails, and says so
    expect(run.code).toBe(1)
    expect(proxy.connects.some(c => c.startsWith('storage.test'))).toBe(false)
    expect(proxy.connects.some(c => c.startsWith('workato.test'))).toBe(true)
    expect(errorLines(run)[0]).toContain('the host name could not be resolved')
  })

  test('without a proxy the names do not resolve: the proxy really is the only way there', async () => {
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(proxy.connects).toEqual([])
    expect(errorLines(run)[0]).toContain('the host name could not be resolved')
  })
})
