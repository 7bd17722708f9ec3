/**
 * The poll schedule: check at once, then every second for the first 10 s and every 2 s until a
 * minute has passed, so a quick job is noticed within about a second or two; after that, double
 * the gap up to poll-interval, so a long job costs a few calls a minute (rate limits are per minute).
 */
export function nextPollDelayMs(elapsedMs: number, previousDelayMs: number, maxMs: number): number {
  let delay: number
  if (elapsedMs < 10_000) delay = 1_000
  else if (elapsedMs < 60_000) delay = 2_000
  else delay = Math.max(previousDelayMs * 2, 2_000)
  return Math.min(delay, maxMs)
}

export interface Clock {
  now(): number
  /** Resolves after `ms`, or at once when `signal` aborts (its timer cleared, so nothing lingers). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Real milliseconds for `ms` of this clock's time (for timers the clock does not run). */
  realMs(ms: number): number
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
  realMs: ms => ms
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>(resolve => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * The hard end of a wait or of the whole run: requests in flight are aborted with the signal's
 * reason at `at`, and a retry or a pacing wait that would reach past `at` ends the call with
 * `expired()` (DeadlineReached when not given).
 */
export interface Deadline {
  at: number
  signal: AbortSignal
  expired?: () => Error
}

/** The earlier of two deadlines, aborted by either (a poll inside the run's overall budget). */
export function earliest(a: Deadline | undefined, b: Deadline | undefined): Deadline | undefined {
  if (!a || !b) return a ?? b
  const first = a.at <= b.at ? a : b
  return { at: first.at, signal: AbortSignal.any([a.signal, b.signal]), expired: first.expired }
}

/**
 * A deadline `ms` from now on `clock`: its signal aborts with `error()` then (the timer does not
 * keep the process alive), and `expired` gives the same error to a wait that would pass it.
 */
export function deadlineIn(ms: number, clock: Clock, error: () => Error): Deadline {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(error()), clock.realMs(ms))
  timer.unref?.()
  return { at: clock.now() + ms, signal: controller.signal, expired: error }
}

export class DeadlineReached extends Error {
  constructor() {
    super('the wait reached its deadline')
    this.name = 'DeadlineReached'
  }
}

/**
 * A clock running `scale` times faster than real time, for tests of long jobs
 * (`<prefix>_CLOCK_SCALE=0.01` makes a 30-minute job take 18 s). Users have no reason to.
 */
export function clockFromEnv(prefix: string, env: NodeJS.ProcessEnv = process.env): Clock {
  const text = env[`${prefix}_CLOCK_SCALE`]
  const scale = Number(text)
  if (!text || !(scale > 0) || scale === 1) return realClock
  const start = Date.now()
  return {
    now: () => start + (Date.now() - start) / scale,
    sleep: (ms, signal) => realClock.sleep(ms * scale, signal),
    realMs: ms => ms * scale
  }
}

export type PollResult<T> = { done: true; value: T } | { done: false; value: T }

export class WaitTimeout<T> extends Error {
  constructor(
    /** The last value seen; undefined when no check answered before the deadline. */
    readonly last: T | undefined,
    readonly waitedMs: number
  ) {
    super(`still running after ${Math.round(waitedMs / 1000)} s`)
    this.name = 'WaitTimeout'
  }
}

/** Real time the last check, made at the deadline itself, has to answer before it is aborted. */
export const LAST_CHECK_GRACE_MS = 2_000

/**
 * Calls `check` on the schedule above until it reports done, or throws WaitTimeout with the last
 * value seen once `timeoutMs` has passed. A last check is made at the deadline itself (a job that
 * ends just then is seen), and the end is hard: `check` gets the deadline, and a request still
 * running LAST_CHECK_GRACE_MS after it is aborted (DeadlineReached), so no slow or endless answer
 * carries the wait further.
 */
export async function pollUntilDone<T>(
  check: (deadline: Deadline) => Promise<PollResult<T>>,
  options: {
    maxIntervalMs: number
    timeoutMs: number
    clock?: Clock
    /** Ends the wait early with its reason (the run stopping for another step's failure). */
    stop?: AbortSignal
  }
): Promise<T> {
  const clock = options.clock ?? realClock
  const start = clock.now()
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new DeadlineReached()),
    clock.realMs(options.timeoutMs) + LAST_CHECK_GRACE_MS
  )
  const deadline = { at: start + options.timeoutMs, signal: controller.signal }
  let last: T | undefined
  let delay = 0
  try {
    for (;;) {
      let result: PollResult<T>
      // the schedule's gaps run from one check's start to the next: a slow answer (100 ms away,
      // or paced by a quota) does not stretch them
      const checkedAt = clock.now()
      try {
        result = await check(deadline)
      } catch (error) {
        if (error instanceof DeadlineReached) throw new WaitTimeout(last, clock.now() - start)
        throw error
      }
      if (result.done) return result.value
      last = result.value
      const elapsed = clock.now() - start
      if (elapsed >= options.timeoutMs) throw new WaitTimeout(last, elapsed)
      delay = nextPollDelayMs(elapsed, delay, options.maxIntervalMs)
      const gap = Math.max(0, delay - (clock.now() - checkedAt))
      await clock.sleep(Math.min(gap, options.timeoutMs - elapsed), options.stop)
      if (options.stop?.aborted) throw options.stop.reason
    }
  } finally {
    clearTimeout(timer)
  }
}
