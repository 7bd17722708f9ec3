/**
 * What any JSON API client needs beside `send`: timings a test can shorten, and reading an
 * answer as JSON with the status and Retry-After the retry policy sorts by.
 */
import { readText, type Response } from './request.js'
import { HttpStatusError, parseRetryAfter, type RetryPolicy } from './retry.js'

export interface Tuning {
  retry: RetryPolicy
  /** A silent socket is given up after this long. */
  socketTimeoutMs: number
  /** A JSON call, headers and body, ends here at the latest, however slowly bytes trickle in. */
  requestDeadlineMs: number
  /** A package download or upload ends here at the latest. */
  transferDeadlineMs: number
  /**
   * A minute, as the server's quotas count it: `<prefix>_QUOTA_WINDOW_MS` shortens it so the
   * tests of a quota run in seconds against a simulator whose window is as short.
   */
  quotaWindowMs: number
}

/**
 * The timings, each of which tests of slow and failing paths may shorten through
 * `<prefix>_RETRY_BASE_MS`, `_SOCKET_TIMEOUT_MS`, `_REQUEST_DEADLINE_MS`,
 * `_TRANSFER_DEADLINE_MS` and `_QUOTA_WINDOW_MS` (documented in CONTRIBUTING.md; users have no reason to).
 */
export function tuning(prefix: string, env: NodeJS.ProcessEnv = process.env): Tuning {
  const number = (name: string, fallback: number): number => {
    const text = env[`${prefix}_${name}`]
    const value = Number(text)
    return text && Number.isFinite(value) && value >= 0 ? value : fallback
  }
  return {
    retry: {
      attempts: 5,
      baseDelayMs: number('RETRY_BASE_MS', 1000),
      maxDelayMs: 30_000,
      maxRetryAfterMs: 120_000
    },
    // APIs behind load balancers cut requests off after 30-60 s: a little more than that.
    socketTimeoutMs: number('SOCKET_TIMEOUT_MS', 60_000),
    requestDeadlineMs: number('REQUEST_DEADLINE_MS', 120_000),
    transferDeadlineMs: number('TRANSFER_DEADLINE_MS', 30 * 60_000),
    quotaWindowMs: number('QUOTA_WINDOW_MS', 60_000)
  }
}

/** A body that should have been JSON and was not (a proxy's HTML page, say). */
export class NotJson extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string
  ) {
    super('not JSON')
    this.name = 'NotJson'
  }
}

/**
 * Reads an answer of at most `limit` bytes: a 2xx as a JSON object (or array, with
 * `want: 'array'`), anything else as HttpStatusError carrying the body and Retry-After. Throws
 * BodyTooLarge past the limit, for the caller to word.
 */
export async function readJson(
  response: Response,
  want: 'object' | 'array' = 'object',
  now: () => number = Date.now,
  limit = 1 << 20
): Promise<unknown> {
  const text = await readText(response, limit)
  if (response.status < 200 || response.status > 299) {
    throw new HttpStatusError(
      response.status,
      parseRetryAfter(response.headers['retry-after'], now()),
      text,
      `HTTP ${response.status}`
    )
  }
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && Array.isArray(value) === (want === 'array')) {
      return pruned(value)
    }
  } catch {
    // fall through
  }
  throw new NotJson(response.status, String(response.headers['content-type'] ?? 'no content type'))
}

/** An error body's fields, when it is a JSON object; undefined for anything else (an HTML page). */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (pruned(value) as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** A field as text for a message: strings as they are, anything else as JSON, nothing as ''. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Deeper than any answer either API documents; far short of what overflows a stack. */
export const MAX_JSON_DEPTH = 32

/**
 * `value` with whatever lies deeper than `depth` levels replaced by "…". JSON.parse copes with
 * any nesting a capped body can hold, but JSON.stringify and every walk of the value recurse:
 * a server's 100,000 nested arrays would end the run in a RangeError instead of its words.
 */
export function pruned(value: unknown, depth = MAX_JSON_DEPTH): unknown {
  if (!value || typeof value !== 'object') return value
  if (depth <= 0) return '…'
  if (Array.isArray(value)) return value.map(item => pruned(item, depth - 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    // a key named __proto__ must stay data, not become the copy's prototype
    Object.defineProperty(out, key, {
      value: pruned(item, depth - 1),
      enumerable: true,
      writable: true,
      configurable: true
    })
  }
  return out
}
