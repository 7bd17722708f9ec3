/**
 * Rate quotas for a simulated HTTP service, naming no platform: each collection of endpoints
 * allows so many requests per caller over a sliding window, as services that publish quotas per
 * endpoint group do. A Torizon simulator can reuse it with its own collections and status.
 */
import type * as http from 'node:http'
import { json } from './http-faults.js'

export interface QuotaLimit {
  /** Requests admitted per caller within any window of `windowMs`. */
  limit: number
  windowMs: number
}

export interface QuotaRules<C extends string> {
  /** Collections not named here are never limited. */
  limits: Partial<Record<C, QuotaLimit>>
  /** Collections whose quota never frees: every request refused. */
  blocked?: C[]
  /**
   * Refused requests count too, so a caller that keeps asking keeps its window full (some
   * services do; most publish nothing either way).
   */
  countRefused?: boolean
}

export type Verdict = { admitted: true } | { admitted: false; retryAfterSeconds: number }

/** Window for a blocked collection that has no limit of its own: Retry-After must say something. */
const BLOCKED_WINDOW_MS = 60_000

export class Quotas<C extends string> {
  /** Times of counted requests, oldest first, by caller and collection. */
  private readonly counted = new Map<string, number[]>()

  constructor(private readonly rules: QuotaRules<C>) {}

  /** Counts a request of `caller` to `collection` when the quota allows it (or countRefused). */
  admit(collection: C, caller: string, now = Date.now()): Verdict {
    const rule = this.rules.limits[collection]
    if (this.rules.blocked?.includes(collection)) {
      // a full window that never empties: each refusal promises a whole window
      const windowMs = rule?.windowMs ?? BLOCKED_WINDOW_MS
      return { admitted: false, retryAfterSeconds: Math.ceil(windowMs / 1000) }
    }
    if (!rule) return { admitted: true }
    const key = `${collection}\n${caller}`
    const times = this.counted.get(key) ?? []
    this.counted.set(key, times)
    // the requests that have left the window
    const inWindow = times.findIndex(t => t > now - rule.windowMs)
    times.splice(0, inWindow < 0 ? times.length : inWindow)
    if (times.length < rule.limit) {
      times.push(now)
      return { admitted: true }
    }
    if (this.rules.countRefused) times.push(now)
    // the oldest counted request is the first to leave the window, whole seconds rounded up (with
    // none counted, a limit of 0: a whole window)
    const oldest = times[0] ?? now
    return {
      admitted: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - now) / 1000))
    }
  }
}

/**
 * Answers a refused request. The body is drained first: a client still sending an upload must
 * see the answer, not a reset.
 */
export function refuseOverQuota(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  verdict: Extract<Verdict, { admitted: false }>,
  answer: { status?: number; body: unknown; retryAfter?: boolean }
): void {
  req.resume()
  if (answer.retryAfter) res.setHeader('Retry-After', String(verdict.retryAfterSeconds))
  json(res, answer.status ?? 429, answer.body)
}
