import { describe, expect, test } from '@jest/globals'
import { ActionError } from '../../../src/shared/errors.js'
import {
  backoffMs,
  delayBeforeRetry,
  HttpStatusError,
  mayResendWrite,
  mayRetryRead,
  parseRetryAfter
} from '../../../src/shared/http/retry.js'

const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 }
const status = (code: number, retryAfterMs?: number) =>
  new HttpStatusError(code, retryAfterMs, '', `HTTP ${code}`)
const net = (code: string) => Object.assign(new Error(code), { code })

describe('retry policy', () => {
  test('reads retry on network errors, 429 and 5xx only', () => {
    for (const code of [429, 500, 502, 503, 504]) expect(mayRetryRead(status(code))).toBe(true)
    for (const code of [400, 401, 403, 404, 409]) expect(mayRetryRead(status(code))).toBe(false)
    expect(mayRetryRead(net('ECONNRESET'))).toBe(true)
    expect(mayRetryRead(new Error('socket hang up'))).toBe(true)
    expect(mayRetryRead(new Error('some bug'))).toBe(false)
    // a verdict already worded for the user is final, whatever words it happens to use
    expect(mayRetryRead(new ActionError('the token endpoint timeout page said no'))).toBe(false)
  })

  test('420 is a rate limit like 429: reads retried, writes resent', () => {
    expect(mayRetryRead(status(420))).toBe(true)
    expect(mayResendWrite(status(420))).toBe(true)
  })

  test('writes are resent only when Workato provably did not act', () => {
    expect(mayResendWrite(status(429))).toBe(true)
    expect(mayResendWrite(status(503, 2000))).toBe(true)
    expect(mayResendWrite(status(503))).toBe(false)
    expect(mayResendWrite(status(500))).toBe(false)
    expect(mayResendWrite(status(502))).toBe(false)
    expect(mayResendWrite(net('ECONNREFUSED'))).toBe(true)
    expect(mayResendWrite(net('ECONNRESET'))).toBe(false)
    expect(mayResendWrite(net('ETIMEDOUT'))).toBe(false)
    expect(mayResendWrite(new Error('socket hang up'))).toBe(false)
  })

  test('Retry-After in seconds and as an HTTP-date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z')
    expect(parseRetryAfter('7', now)).toBe(7000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })

  test('exponential backoff with jitter, capped; Retry-After wins', () => {
    expect(backoffMs(0, policy, () => 0)).toBe(500)
    expect(backoffMs(0, policy, () => 1)).toBe(1000)
    expect(backoffMs(3, policy, () => 1)).toBe(8000)
    expect(backoffMs(10, policy, () => 1)).toBe(30_000)
    expect(delayBeforeRetry(status(429, 3000), 4, policy)).toBe(3000)
  })
})
