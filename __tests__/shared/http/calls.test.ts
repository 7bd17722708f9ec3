/** The one retry frame: attempts, what is not retried, pacing to a budget, rate limits waited out. */
import { beforeAll, afterAll, describe, expect, jest, test } from '@jest/globals'
import { Budget } from '../../../src/shared/http/budget.js'
import { retryingCall, type CallOptions } from '../../../src/shared/http/calls.js'
import { HttpStatusError } from '../../../src/shared/http/retry.js'
import { DeadlineReached, type Clock } from '../../../src/shared/wait.js'

const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 }
const status = (code: number, retryAfterMs?: number) =>
  new HttpStatusError(code, retryAfterMs, '', `HTTP ${code}`)

/** Time passes only by sleeping: every wait is recorded, none is real. */
function manualClock(): Clock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.sleeps.push(ms)
      clock.t += ms
      return Promise.resolve()
    },
    realMs: (ms: number) => ms
  }
  return clock
}

/** An operation that answers at once, noting when it was sent. */
function sent(sentAt: number[], clock: Clock): Promise<void> {
  sentAt.push(clock.now())
  return Promise.resolve()
}

class GaveUpError extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: number
  ) {
    super('gave up')
  }
}

function options(clock: Clock, extra: Partial<CallOptions> = {}): CallOptions {
  return {
    what: 'the test call',
    policy,
    write: false,
    clock,
    describe: e => String((e as Error).message),
    explain: (last, attempts) => new GaveUpError(last, attempts),
    random: () => 0.5,
    ...extra
  }
}

beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => {
  jest.restoreAllMocks()
})

describe('retryingCall', () => {
  test('stops at the attempt limit and says how many were made', async () => {
    const clock = manualClock()
    let calls = 0
    const error = await retryingCall(() => {
      calls++
      return Promise.reject(status(503))
    }, options(clock)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GaveUpError)
    expect((error as GaveUpError).attempts).toBe(5)
    expect(calls).toBe(5)
    expect(clock.sleeps).toHaveLength(4)
  })

  test('does not retry what the policy refuses, nor wait an unreasonable Retry-After', async () => {
    const clock = manualClock()
    let calls = 0
    const refused = await retryingCall(() => {
      calls++
      return Promise.reject(status(400))
    }, options(clock)).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect((refused as GaveUpError).last).toBeInstanceOf(HttpStatusError)
    const tooLong = await retryingCall(
      () => Promise.reject(status(429, 600_000)),
      options(clock)
    ).catch((e: unknown) => e)
    expect((tooLong as GaveUpError).attempts).toBe(1)
  })

  test('a write is resent only on a refusal that proves nothing was done, as the caller says', async () => {
    const clock = manualClock()
    let calls = 0
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' })
    const error = await retryingCall(
      () => {
        calls++
        return Promise.reject(reset)
      },
      options(clock, { write: true })
    ).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect((error as GaveUpError).last).toBe(reset)
    calls = 0
    await retryingCall(
      () => {
        calls++
        return Promise.reject(reset)
      },
      options(clock, { write: false })
    ).catch((e: unknown) => e)
    expect(calls).toBe(5)
  })
})

describe('pacing to a budget', () => {
  test('calls past the budget wait for the window instead of being sent', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 3, windowMs: 60_000 }, clock)
    const sentAt: number[] = []
    for (let i = 0; i < 7; i++) {
      await retryingCall(() => sent(sentAt, clock), options(clock, { budget }))
    }
    expect(sentAt).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000])
  })

  test('a 429 without Retry-After waits out the window with jitter and does not use up a try', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    let calls = 0
    const value = await retryingCall(
      () => {
        calls++
        if (calls <= 7) return Promise.reject(status(429))
        return Promise.resolve('answered')
      },
      options(clock, { budget })
    )
    expect(value).toBe('answered')
    expect(calls).toBe(8)
    // seven waits of the window plus a twentieth (random 0.5 of a tenth), never a few seconds
    expect(clock.sleeps).toEqual(Array(7).fill(63_000))
  })

  test('Retry-After is honoured, and closes the budget for every caller', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    let calls = 0
    await retryingCall(
      () => (++calls === 1 ? Promise.reject(status(429, 5_000)) : Promise.resolve()),
      options(clock, { budget })
    )
    expect(clock.sleeps).toEqual([5_000])
    budget.close(10_000)
    expect(budget.waitMs()).toBe(10_000)
  })

  test('a quota that never frees ends at the deadline, not as a failure of the call', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    const deadline = { at: 300_000, signal: new AbortController().signal }
    let calls = 0
    const error = await retryingCall(
      () => {
        calls++
        return Promise.reject(status(429))
      },
      options(clock, { budget, deadline })
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeadlineReached)
    expect(calls).toBe(5)
    expect(clock.now()).toBeLessThan(300_000)
  })

  test('a write refused by the quota until the deadline ends with the refusal (nothing was done), not the deadline', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    const deadline = {
      at: 300_000,
      signal: new AbortController().signal,
      expired: () => new Error('the run is out of time')
    }
    let calls = 0
    const error = await retryingCall(
      () => {
        calls++
        return Promise.reject(status(429))
      },
      options(clock, { budget, deadline, write: true })
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GaveUpError)
    expect((error as GaveUpError).last).toMatchObject({ status: 429 })
    expect(calls).toBe(5)
  })

  test('a pacing wait that would pass the deadline ends the call with the deadline’s error', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 1, windowMs: 60_000 }, clock)
    const expired = new Error('the run is out of time')
    const deadline = { at: 30_000, signal: new AbortController().signal, expired: () => expired }
    await retryingCall(() => Promise.resolve(1), options(clock, { budget, deadline }))
    const error = await retryingCall(
      () => Promise.resolve(2),
      options(clock, { budget, deadline })
    ).catch((e: unknown) => e)
    expect(error).toBe(expired)
    expect(clock.sleeps).toEqual([])
  })

  test('with a deadline, more than 60 rate-limit answers are still waited out (never a failure)', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    const deadline = { at: 1_000_000, signal: new AbortController().signal }
    let calls = 0
    const value = await retryingCall(
      () => (++calls <= 100 ? Promise.reject(status(429, 1000)) : Promise.resolve('answered')),
      options(clock, { budget, deadline })
    )
    expect(value).toBe('answered')
    expect(calls).toBe(101)
  })

  test('Retry-After: 0 is not taken as leave to resend at once', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 100, windowMs: 60_000 }, clock)
    let calls = 0
    await retryingCall(
      () => (++calls <= 3 ? Promise.reject(status(429, 0)) : Promise.resolve()),
      options(clock, { budget })
    )
    expect(clock.sleeps).toEqual([1000, 1000, 1000])
  })

  test('callers started together do not all pass one free slot', async () => {
    const clock = manualClock()
    const budget = new Budget('the test quota', { limit: 2, windowMs: 60_000 }, clock)
    const sentAt: number[] = []
    await Promise.all(
      [1, 2, 3, 4].map(() => retryingCall(() => sent(sentAt, clock), options(clock, { budget })))
    )
    // two went at once and the third waited for the window (on this clock a sleep moves time at
    // once, so the fourth found the window passed); without the slot taken in the same tick as
    // the check, all four would have gone without a wait
    expect(sentAt).toHaveLength(4)
    expect(clock.sleeps).toEqual([60_000])
  })
})
