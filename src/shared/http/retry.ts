/**
 * When a request may be sent again, and how long to wait first. No I/O here: the callers own
 * the requests, this file owns the policy.
 */
import { ActionError } from '../errors.js'

/** Raised for an HTTP answer the caller did not accept; carries what the retry policy needs. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly body: string,
    message: string
  ) {
    super(message)
    this.name = 'HttpStatusError'
  }
}

/** Errors where the connection was never made: the request cannot have reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/**
 * Answers that say "too many requests, come back later": the server did not act on the request.
 * 429 is the standard one; some APIs send 420 ("Enhance Your Calm") instead.
 */
export function isRateLimited(status: number): boolean {
  return status === 429 || status === 420
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

export function isNetworkError(error: unknown): boolean {
  // already a verdict for the user (a refused token endpoint, say), whatever words it uses
  if (error instanceof ActionError) return false
  const code = errorCode(error)
  if (code && (NOT_SENT_CODES.has(code) || /^E[A-Z_]+$/.test(code))) return true
  return /socket hang up|aborted|timeout/i.test(String((error as Error)?.message ?? ''))
}

/** Idempotent requests (GET): network trouble, a rate limit and any 5xx may be retried. */
export function mayRetryRead(error: unknown): boolean {
  if (error instanceof HttpStatusError) return isRateLimited(error.status) || error.status >= 500
  return isNetworkError(error)
}

/**
 * Writes (an export or import POST) are not idempotent: resend only when the answer proves the server did not
 * act on the first one (a rate limit; 503 with Retry-After), or when no connection was ever made. A
 * timeout or a reset mid-request proves nothing, so it is never resent.
 */
export function mayResendWrite(error: unknown): boolean {
  if (error instanceof HttpStatusError) {
    return isRateLimited(error.status) || (error.status === 503 && error.retryAfterMs !== undefined)
  }
  const code = errorCode(error)
  return code !== undefined && NOT_SENT_CODES.has(code)
}

/** Retry-After in seconds or as an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

export interface RetryPolicy {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** A Retry-After longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs: number
}

/** Exponential backoff with full jitter in its upper half: base·2^n scaled by 0.5–1. */
export function backoffMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)
  return Math.round(ceiling * (0.5 + random() / 2))
}

/** The delay before retry number `retry` (0-based): Retry-After when the server gave one. */
export function delayBeforeRetry(
  error: unknown,
  retry: number,
  policy: RetryPolicy,
  random?: () => number
): number {
  const asked = error instanceof HttpStatusError ? error.retryAfterMs : undefined
  return asked !== undefined ? asked : backoffMs(retry, policy, random)
}
