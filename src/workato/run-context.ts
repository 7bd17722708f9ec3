/**
 * What every step of one run shares besides its config: one client per side (with the run's
 * budgets), the wait's timing, the run's overall deadline, and what the target folder holds
 * that is listed once per run (its folder tree, its connection lists).
 */
import { CleanUps } from '../shared/cleanup.js'
import { ActionError } from '../shared/errors.js'
import { Budgets } from '../shared/http/budget.js'
import { tuning } from '../shared/http/json.js'
import { clockFromEnv, deadlineIn, type Clock, type Deadline } from '../shared/wait.js'
import { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'
import type { Side } from './errors.js'
import { listAll, listTree, rows, type FolderTree, type Row } from './folders.js'
import type { Config } from './inputs.js'
import type { RunRecord } from './record.js'

export interface WaitOptions {
  maxIntervalMs: number
  timeoutMs: number
  clock: Clock
  stop?: AbortSignal
}

/**
 * Waits of up to wait-timeout a mode may need: one per Workato job, and two for a rollback (it
 * waits for Workato to take an import, which may refuse it while the failed one winds down, and
 * then for the import).
 */
export function jobsWaitedOn(config: Config): number {
  const snapshot = 'snapshot' in config && config.snapshot ? 1 : 0
  const rollback = snapshot && config.rollbackOnFailure ? 2 : 0
  const tests = config.runTests ? 1 : 0
  switch (config.mode) {
    case 'export':
    case 'unpack':
      return 1
    case 'plan':
      return 2
    case 'deploy':
      // the build, the deployment (or an earlier one waited on), and a rollback's deployment
      return 2 + (config.rollbackOnFailure ? 1 : 0)
    case 'import':
      return 1 + snapshot + rollback + tests
    default:
      return 2 + snapshot + rollback + tests
  }
}

/**
 * The whole run's time budget: one wait-timeout per job it may wait on, and one more for the
 * transfers, checks and rate-limit waits around them. Retries and pacing count against it.
 */
export function runBudgetMs(config: Config): number {
  return (jobsWaitedOn(config) + 1) * config.waitTimeoutSeconds * 1000
}

export class RunContext {
  readonly clock: Clock
  readonly deadline: Deadline
  private readonly stopper = new AbortController()
  private readonly budgets: Budgets
  private readonly clients = new Map<Side, WorkatoClient>()
  private tree?: Promise<FolderTree>
  private readonly connectionLists = new Map<string, Promise<Row[]>>()

  constructor(
    readonly config: Config,
    readonly record: RunRecord,
    env: NodeJS.ProcessEnv = process.env
  ) {
    this.clock = clockFromEnv('WORKATO_PROMOTE', env)
    this.budgets = new Budgets(this.clock)
    record.cleanUps ??= new CleanUps(this.clock)
    const budgetMs = runBudgetMs(config)
    const timer = deadlineIn(
      budgetMs,
      this.clock,
      () =>
        new ActionError(
          `The run reached its overall time limit (${Math.round(budgetMs / 60_000)} min: wait-timeout for each ` +
            `Workato job it may wait on, and once more for everything around them) during ${record.stage}. ` +
            'Anything Workato had started may still be running: check the packages of the workspaces before ' +
            'rerunning, or raise wait-timeout.',
          'timed-out'
        )
    )
    this.deadline = {
      ...timer,
      signal: AbortSignal.any([timer.signal, this.stopper.signal])
    }
  }

  /** The client of one side: made once per run, so every step counts against the same budgets. */
  client(side: Side): WorkatoClient {
    let client = this.clients.get(side)
    if (!client) {
      const endpoint = side === 'source' ? sourceOf(this.config) : targetOf(this.config)
      client = new WorkatoClient(side, endpoint.baseUrl, endpoint.token, {
        budgets: this.budgets,
        limits: this.config.rateLimits,
        deadline: this.deadline,
        clock: this.clock,
        timing: tuning('WORKATO_PROMOTE')
      })
      this.clients.set(side, client)
    }
    return client
  }

  get wait(): WaitOptions {
    return {
      clock: this.clock,
      maxIntervalMs: this.config.pollIntervalSeconds * 1000,
      timeoutMs: this.config.waitTimeoutSeconds * 1000,
      stop: this.deadline.signal
    }
  }

  /** Work running beside a failed step is stopped, with that step's error as the reason. */
  stop(reason: unknown): void {
    this.stopper.abort(reason)
  }

  /**
   * The target folder and every folder below it: listed once per run, then read from memory;
   * `fresh` lists it again (after an import that may have made folders).
   */
  folderTree(folderId: string, fresh = false): Promise<FolderTree> {
    if (!this.tree || fresh) this.tree = handled(listTree(this.client('target'), folderId))
    return this.tree
  }

  /** The connections of one target folder: listed once per run. */
  connectionsIn(folderId: string, fresh = false): Promise<Row[]> {
    let list = this.connectionLists.get(folderId)
    if (!list || fresh) {
      const client = this.client('target')
      list = listAll(
        client,
        async page =>
          rows(
            await client.getList(routes.connections(folderId, page), {
              call: `the list of connections in folder ${folderId}`,
              notFound: `Folder ${folderId} has no connection list in the target workspace`
            })
          ),
        `The list of connections in folder ${folderId}`
      )
      this.connectionLists.set(folderId, handled(list))
    }
    return list
  }
}

/** A list read ahead may fail with no one waiting for it yet: its callers still see the error. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

function sourceOf(config: Config): { baseUrl: string; token: string } {
  if (!('source' in config)) throw new Error(`mode ${config.mode} has no source`)
  return config.source
}

function targetOf(config: Config): { baseUrl: string; token: string } {
  if (!('target' in config) || !config.target) throw new Error(`mode ${config.mode} has no target`)
  return config.target
}
