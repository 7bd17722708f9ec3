/**
 * What a run made and must take away again, however it ends: a step runs its own clean-up as
 * soon as it is done with the thing, and the run frame runs whatever is left once the steps have
 * ended (failed, timed out, or cancelled, when the steps are abandoned mid-way). Each clean-up
 * runs once: a second call waits for the first.
 */
import { ActionError } from './errors.js'
import { deadlineIn, realClock, type Clock, type Deadline } from './wait.js'

/** Time for what is left after a cancel: the runner sends SIGTERM a few seconds after SIGINT. */
export const CANCEL_CLEANUP_MS = 4_000
/** Time for what is left after any other ending. */
export const CLEANUP_MS = 60_000

type Job = (within: Deadline) => Promise<void>

export class CleanUps {
  private readonly pending = new Map<string, Job>()
  private readonly running = new Map<string, Promise<void>>()

  constructor(private readonly clock: Clock = realClock) {}

  /** Something to take away later; the job says itself (a warning) what it could not do. */
  add(key: string, job: Job): void {
    this.pending.set(key, job)
  }

  /** Runs one clean-up now, within `ms`: once, however often it is asked for. */
  run(key: string, ms: number): Promise<void> {
    const started = this.running.get(key)
    if (started) return started
    const job = this.pending.get(key)
    if (!job) return Promise.resolve()
    this.pending.delete(key)
    const within = deadlineIn(
      ms,
      this.clock,
      () => new ActionError(`the clean-up had ${Math.round(ms / 1000)} s`)
    )
    // a job reports its own failures: one that throws anyway must not end the run's report
    const done = job(within).catch(() => undefined)
    this.running.set(key, done)
    return done
  }

  /** Every clean-up not yet done, together, within `ms` (those already running are waited for). */
  async runAll(ms: number): Promise<void> {
    const keys = [...this.pending.keys(), ...this.running.keys()]
    const all = Promise.all(keys.map(key => this.run(key, ms)))
    let timer: NodeJS.Timeout | undefined
    const cut = new Promise<void>(resolve => {
      timer = setTimeout(resolve, this.clock.realMs(ms) + 500)
      timer.unref?.()
    })
    await Promise.race([all, cut])
    clearTimeout(timer)
  }
}
