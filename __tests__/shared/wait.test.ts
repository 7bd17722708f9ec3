import { describe, expect, test } from '@jest/globals'
import { nextPollDelayMs, pollUntilDone, WaitTimeout, type Clock } from '../../src/shared/wait.js'

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    sleep: ms => {
      sleeps.push(ms)
      now += ms
      return Promise.resolve()
    },
    realMs: ms => ms
  }
}

describe('poll schedule', () => {
  test('1 s for the first 10 s, 2 s until a minute, then doubling up to the cap', () => {
    expect(nextPollDelayMs(0, 0, 10_000)).toBe(1000)
    expect(nextPollDelayMs(9_999, 1000, 10_000)).toBe(1000)
    expect(nextPollDelayMs(10_000, 1000, 10_000)).toBe(2000)
    expect(nextPollDelayMs(59_000, 2000, 10_000)).toBe(2000)
    expect(nextPollDelayMs(60_000, 2000, 10_000)).toBe(4000)
    expect(nextPollDelayMs(64_000, 4000, 10_000)).toBe(8000)
    expect(nextPollDelayMs(72_000, 8000, 10_000)).toBe(10_000)
    expect(nextPollDelayMs(5_000, 1000, 500)).toBe(500)
  })

  test('checks at once, then on the schedule, until done', async () => {
    const clock = fakeClock()
    let calls = 0
    const value = await pollUntilDone(
      () => Promise.resolve({ done: ++calls === 4, value: calls }),
      {
        maxIntervalMs: 10_000,
        timeoutMs: 60_000,
        clock
      }
    )
    expect(value).toBe(4)
    expect(clock.sleeps).toEqual([1000, 1000, 1000])
  })

  test('a slow answer does not stretch the schedule: gaps run from one check’s start to the next', async () => {
    const clock = fakeClock()
    const started: number[] = []
    await pollUntilDone(
      async () => {
        started.push(clock.now())
        await clock.sleep(300) // the answer takes 300 ms
        return { done: started.length === 4, value: 0 }
      },
      { maxIntervalMs: 10_000, timeoutMs: 60_000, clock }
    )
    expect(started).toEqual([0, 1000, 2000, 3000])
  })

  test('a 30-minute job stays far inside 60 requests a minute', async () => {
    const clock = fakeClock()
    const checks: number[] = []
    await expect(
      pollUntilDone(
        () => {
          checks.push(clock.now())
          return Promise.resolve({ done: false, value: 'in_progress' })
        },
        { maxIntervalMs: 10_000, timeoutMs: 30 * 60_000, clock }
      )
    ).rejects.toBeInstanceOf(WaitTimeout)
    const firstMinute = checks.filter(t => t < 60_000).length
    const later = checks.filter(t => t >= 60_000).length / 29
    expect(firstMinute).toBeLessThanOrEqual(36)
    expect(later).toBeLessThanOrEqual(7)
    expect(checks[checks.length - 1]).toBe(30 * 60_000)
  })

  test('times out with the last value, after a last check at the deadline', async () => {
    const clock = fakeClock()
    const error = await pollUntilDone(() => Promise.resolve({ done: false, value: 'processing' }), {
      maxIntervalMs: 1000,
      timeoutMs: 2500,
      clock
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeout)
    expect((error as WaitTimeout<string>).last).toBe('processing')
    expect(clock.sleeps).toEqual([1000, 1000, 500])
  })
})
