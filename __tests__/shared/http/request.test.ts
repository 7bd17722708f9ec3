/** Deadlines and caps of one request, against a local server that misbehaves on purpose. */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { BodyTooLarge, readText, RequestDeadline, send } from '../../../src/shared/http/request.js'

let server: http.Server
let base = ''
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/trickle') {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      const timer = setInterval(() => res.write('x'), 50)
      res.on('close', () => clearInterval(timer))
    } else if (req.url === '/big') {
      res.writeHead(200)
      res.end(Buffer.alloc(64 * 1024))
    } else if (req.url === '/silent') {
      // never answers: headers never come
    } else {
      res.end('{"ok":true}')
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

/** Far off: a request that should succeed never meets them, however loaded the machine. */
const options = { idleTimeoutMs: 30_000, deadlineMs: 30_000 }
/** For the tests of the deadline itself. */
const short = { ...options, deadlineMs: 400 }

describe('send', () => {
  test('an answer within the deadline is read whole', async () => {
    const response = await send('GET', `${base}/ok`, {}, null, options)
    expect(await readText(response)).toBe('{"ok":true}')
  })

  test('a body that trickles forever ends at the request deadline, not at the idle timeout', async () => {
    const started = Date.now()
    const response = await send('GET', `${base}/trickle`, {}, null, short)
    await expect(readText(response)).rejects.toBeInstanceOf(RequestDeadline)
    // the trickle keeps the idle timer from ever firing: without the deadline this would not end
    // (a bound well under the idle timeout, so a loaded machine does not make it fail)
    expect(Date.now() - started).toBeLessThan(short.idleTimeoutMs / 2)
  })

  test('headers that never come end at the deadline too', async () => {
    await expect(send('GET', `${base}/silent`, {}, null, short)).rejects.toBeInstanceOf(
      RequestDeadline
    )
  })

  test('the caller’s signal ends the request with the caller’s reason', async () => {
    const controller = new AbortController()
    const reason = new Error('the wait is over')
    const response = await send('GET', `${base}/trickle`, {}, null, {
      ...options,
      signal: controller.signal
    })
    // mid-body: the headers are in, the body still trickling, when the caller gives up
    const reading = readText(response)
    controller.abort(reason)
    await expect(reading).rejects.toBe(reason)
  })

  test('a body over its cap is refused, not drained', async () => {
    const response = await send('GET', `${base}/big`, {}, null, options)
    await expect(readText(response, 1024)).rejects.toBeInstanceOf(BodyTooLarge)
  })
})
