/**
 * The one retry frame every API call of both actions goes through: pacing to the server's quota,
 * retries by the policy, rate-limit answers waited out, each wait said in the log, and the last
 * error explained in the platform's words.
 */
import * as core from '@actions/core'
import { capitalize, oneLine } from '../text.js'
import { DeadlineReached, type Clock, type Deadline } from '../wait.js'
import type { Budget } from './budget.js'
import {
  delayBeforeRetry,
  HttpStatusError,
  isRateLimited,
  mayResendWrite,
  mayRetryRead,
  type RetryPolicy
} from './retry.js'

export interface CallOptions {
  /** What the call is, for the log: "the status check of package 241". */
  what: string
  policy: RetryPolicy
  /**
   * A write is not idempotent: resent only when the answer proves the server did not act on it.
   * Said by the caller, never inferred.
   */
  write: boolean
  /** Which errors are worth another try; by default the read or write rule. */
  mayRetry?: (error: unknown) => boolean
  clock: Clock
  /** The platform's words for one failed try (the retry log line). */
  describe: (error: unknown) => string
  /** The platform's message for the last error, once the call is given up. */
  explain: (last: unknown, attempts: number) => Error
  /** A hard end (a wait's, or the run's): nothing is tried or waited for past it. */
  deadline?: Deadline
  /**
   * The quota this call counts against: each try waits for room in it, and a rate-limit answer
   * is waited out (Retry-After, or the quota's window) without using up a try, until `deadline`.
   */
  budget?: Budget
  random?: () => number
}

/** A bound on rate-limit waits for one call, should no deadline bound them first. */
const MAX_RATE_LIMIT_WAITS = 60

export async function retryingCall<T>(
  operation: () => Promise<T>,
  options: CallOptions
): Promise<T> {
  const { policy, clock, deadline, budget } = options
  const mayRetry = options.mayRetry ?? (options.write ? mayResendWrite : mayRetryRead)
  const random = options.random ?? Math.random
  const expired = (): Error => deadline?.expired?.() ?? new DeadlineReached()
  let attempt = 0
  let rateLimited = 0
  for (;;) {
    if (budget) await room(budget, options, expired)
    attempt++
    try {
      return await operation()
    } catch (error) {
      if (deadline?.signal.aborted) throw deadline.signal.reason
      const limited = error instanceof HttpStatusError && isRateLimited(error.status)
      // with a deadline, only the deadline bounds these waits: a read the run depends on is
      // never abandoned to a rate limit while its wait allows
      const mayWait = deadline !== undefined || rateLimited < MAX_RATE_LIMIT_WAITS
      if (budget && limited && mayRetry(error) && mayWait) {
        rateLimited++
        attempt--
        // No Retry-After: the server counts per window, so a few seconds would only draw another.
        // Retry-After: 0 (or a date past) must not turn into back-to-back resends
        const floor = Math.min(1000, budget.quota.windowMs)
        const wait = Math.max(
          floor,
          error.retryAfterMs ?? Math.round(budget.quota.windowMs * (1 + random() / 10))
        )
        // a refused write proves nothing was done: that, in the server's words, is what to say
        // when the time runs out, not only that it did
        if (deadline && clock.now() + wait >= deadline.at)
          throw options.write ? options.explain(error, attempt + 1) : expired()
        budget.close(wait)
        if (budget.firstToWait(wait)) {
          core.info(
            oneLine(
              `${capitalize(options.what)}: ${options.describe(error)}, over ${budget.name}; waiting ` +
                `${formatDelay(wait)} (${error.retryAfterMs !== undefined ? 'its Retry-After' : "the quota's window"}) before going on.`,
              600
            )
          )
        }
        continue
      }
      if (attempt >= policy.attempts || !mayRetry(error)) throw options.explain(error, attempt)
      const delay = delayBeforeRetry(error, attempt - 1, policy, random)
      if (delay > policy.maxRetryAfterMs) throw options.explain(error, attempt)
      if (deadline && clock.now() + delay >= deadline.at) throw expired()
      // one line whatever the server put in its words or its ids: a newline there would be a
      // workflow command
      core.info(
        oneLine(
          `${capitalize(options.what)}: ${options.describe(error)}; trying again in ${formatDelay(delay)} ` +
            `(attempt ${attempt + 1}${Number.isFinite(policy.attempts) ? ` of ${policy.attempts}` : ', until its deadline'}).`,
          600
        )
      )
      await clock.sleep(delay, deadline?.signal)
      if (deadline?.signal.aborted) throw deadline.signal.reason
    }
  }
}

/**
 * Waits until the budget has room for one more call and counts it there, in the same tick as the
 * check (callers started together must not all pass one free slot), or throws `expired()`.
 */
async function room(budget: Budget, options: CallOptions, expired: () => Error): Promise<void> {
  const { clock, deadline } = options
  for (let wait = budget.waitMs(); ; wait = budget.waitMs()) {
    if (wait === 0) return budget.spend()
    if (deadline && clock.now() + wait >= deadline.at) throw expired()
    if (budget.firstToWait(wait)) {
      core.info(`Pacing: ${budget.name} is used up for now; waiting ${formatDelay(wait)}.`)
    }
    await clock.sleep(wait, deadline?.signal)
    if (deadline?.signal.aborted) throw deadline.signal.reason
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
