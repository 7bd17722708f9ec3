/** One API call under a retry policy: each retry said in the log, the last error explained. */
import * as core from '@actions/core'
import { capitalize } from '../text.js'
import { DeadlineReached, type Clock, type Deadline } from '../wait.js'
import { GaveUp, withRetries, type RetryPolicy } from './retry.js'

export interface CallOptions {
  /** What the call is, for the log: "the status check of package 241". */
  what: string
  policy: RetryPolicy
  mayRetry: (error: unknown) => boolean
  clock: Clock
  /** The platform's words for one failed try (the retry log line). */
  describe: (error: unknown) => string
  /** The platform's message for the last error, once the call is given up. */
  explain: (last: unknown, attempts: number) => Error
  /** A wait's hard end: nothing is tried or waited for past it. */
  deadline?: Deadline
}

export async function retryingCall<T>(
  operation: () => Promise<T>,
  options: CallOptions
): Promise<T> {
  const { policy, clock, deadline } = options
  try {
    return await withRetries(operation, {
      policy,
      mayRetry: options.mayRetry,
      sleep: ms => clock.sleep(ms),
      deadline: deadline && {
        ...deadline,
        now: () => clock.now(),
        expired: () => new DeadlineReached()
      },
      onRetry: (error, delayMs, attempt) =>
        core.info(
          `${capitalize(options.what)}: ${options.describe(error)}; trying again in ${formatDelay(delayMs)} ` +
            `(attempt ${attempt + 1} of ${policy.attempts}).`
        )
    })
  } catch (error) {
    if (!(error instanceof GaveUp)) throw error
    throw options.explain(error.last, error.attempts)
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
