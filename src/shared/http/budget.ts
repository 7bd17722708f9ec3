/**
 * Pacing: a budget per collection of endpoints, counted over a sliding window, so a call waits
 * for room instead of drawing a rate-limit answer. One budget serves every call a run makes to
 * one host with one credential (whatever step makes it, polls included): quotas are the server's
 * count, not a step's.
 */
import type { Clock } from '../wait.js'

export interface Quota {
  /** Calls allowed in one window. */
  limit: number
  windowMs: number
}

export class Budget {
  /** When each counted call was sent, oldest first. */
  private readonly sent: number[] = []
  /** No call before this (the server said it is over its count). */
  private closedUntil = 0
  /** The end of the last wait said in the log: one line per wait, not one per waiting call. */
  private saidUntil = 0

  constructor(
    /** For the log, in the caller's words: "the <collection> quota of <the account>". */
    readonly name: string,
    readonly quota: Quota,
    private readonly clock: Clock
  ) {}

  /** How long until one more call fits; 0 when it fits now. */
  waitMs(): number {
    const now = this.clock.now()
    while ((this.sent[0] ?? Infinity) <= now - this.quota.windowMs) this.sent.shift()
    const closed = this.closedUntil - now
    // the call that must leave the window before one more fits
    const leaving = this.sent[this.sent.length - this.quota.limit]
    const full = leaving === undefined ? 0 : leaving + this.quota.windowMs - now
    return Math.max(0, closed, full)
  }

  /** Counts one call, sent now. */
  spend(): void {
    this.sent.push(this.clock.now())
  }

  /** The server answered "too many": nothing more is sent for `ms`, by any caller. */
  close(ms: number): void {
    this.closedUntil = Math.max(this.closedUntil, this.clock.now() + ms)
  }

  /** True the first time a wait ending at `now + ms` is seen (the caller logs it). */
  firstToWait(ms: number): boolean {
    const until = this.clock.now() + ms
    // callers waiting together end within a moment of each other: that is one wait, said once
    if (until <= this.saidUntil + this.quota.windowMs / 10) return false
    this.saidUntil = until
    return true
  }
}

/** The budgets of one run, by credential and collection: made on first use, then shared. */
export class Budgets {
  private readonly budgets = new Map<string, Budget>()

  constructor(private readonly clock: Clock) {}

  /** `key` names the host and credential (never the credential itself in `name`). */
  for(key: string, collection: string, name: string, quota: Quota): Budget {
    const id = JSON.stringify([key, collection])
    let budget = this.budgets.get(id)
    if (!budget) this.budgets.set(id, (budget = new Budget(name, quota, this.clock)))
    return budget
  }
}
