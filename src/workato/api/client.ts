/**
 * Authenticated calls to one Workato workspace: each call declared by its route (collection and
 * write), paced by the run's budget for that collection, retried by the one retry frame, and
 * bounded by the run's overall deadline as well as any wait's own.
 */
import { Readable } from 'node:stream'
import { ActionError } from '../../shared/errors.js'
import type { Budget, Budgets } from '../../shared/http/budget.js'
import { BodyTooLarge, send, type Response } from '../../shared/http/request.js'
import { NotJson, readJson, tuning, type Tuning } from '../../shared/http/json.js'
import { retryingCall } from '../../shared/http/calls.js'
import { HttpStatusError, mayRetryRead } from '../../shared/http/retry.js'
import { downloadToFile, StorageError, storageUrl, TooLarge } from '../../shared/http/download.js'
import type { FileFacts } from '../../shared/package-file.js'
import { earliest, realClock, type Clock, type Deadline } from '../../shared/wait.js'
import { describeFailure, explainFailure, type Side, type Subject } from '../errors.js'
import { budgetQuota, type Collection, type Route } from './routes.js'

/** What one run shares between its clients: budgets, the overall deadline, the clock. */
export interface RunContext {
  budgets?: Budgets
  /** Raised quotas (rate-limits), per minute (imports: per hour). */
  limits?: Partial<Record<Collection, number>>
  /** The run's overall deadline; its signal also stops the run early (another step failed). */
  deadline?: Deadline
  clock?: Clock
  timing?: Tuning
}

/** A request body: a stream of `length` bytes, a package unless `type` says otherwise. */
export interface Payload {
  stream: NodeJS.ReadableStream
  length: number
  type?: string
}

export class WorkatoClient {
  private readonly origin: string
  readonly timing: Tuning
  private readonly clock: Clock

  constructor(
    readonly side: Side,
    readonly baseUrl: string,
    private readonly token: string,
    private readonly run: RunContext = {}
  ) {
    this.origin = new URL(baseUrl).origin
    this.timing = run.timing ?? tuning('WORKATO_PROMOTE')
    this.clock = run.clock ?? realClock
  }

  /** The token goes to the API's own origin and nowhere else. */
  headersFor(url: URL): Record<string, string> {
    return url.origin === this.origin ? { Authorization: `Bearer ${this.token}` } : {}
  }

  /** The run's budget for a collection (undefined outside a run: unit tests, scripts). */
  budget(collection: Collection): Budget | undefined {
    return this.run.budgets?.for(
      `${this.origin} ${this.token}`,
      collection,
      `the ${collection} quota of the ${this.side} workspace`,
      budgetQuota(collection, this.run.limits ?? {}, this.timing.quotaWindowMs)
    )
  }

  /** A GET answered by a JSON object; with a deadline (a wait's hard end) nothing runs past it. */
  async getJson(
    route: Route,
    subject: Subject,
    deadline?: Deadline
  ): Promise<Record<string, unknown>> {
    return (await this.get(route, subject, 'object', deadline)) as Record<string, unknown>
  }

  /** A GET of one of Workato's lists, which answer a bare JSON array. */
  async getList(route: Route, subject: Subject): Promise<unknown[]> {
    return (await this.get(route, subject, 'array')) as unknown[]
  }

  private async get(
    route: Route,
    subject: Subject,
    want: 'object' | 'array',
    deadline?: Deadline
  ): Promise<unknown> {
    const url = new URL(route.path, this.baseUrl)
    const bound = earliest(deadline, this.run.deadline)
    return this.retrying(
      route,
      subject,
      error => mayRetryRead(error) || error instanceof NotJson,
      async () => {
        const response = await send('GET', url.href, this.jsonHeaders(url), null, {
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: this.timing.requestDeadlineMs,
          signal: bound?.signal
        })
        return this.readJson(response, subject, want)
      },
      bound
    )
  }

  /** A PUT without a body (starting a recipe, say). */
  async putJson(route: Route, subject: Subject): Promise<Record<string, unknown>> {
    return this.send(route, () => null, subject)
  }

  async postJson(
    route: Route,
    body: () => Payload | null,
    subject: Subject
  ): Promise<Record<string, unknown>> {
    return this.send(route, body, subject)
  }

  /** A POST whose body is JSON (a manifest to create). */
  async postObject(
    route: Route,
    body: unknown,
    subject: Subject
  ): Promise<Record<string, unknown>> {
    const bytes = Buffer.from(JSON.stringify(body))
    return this.send(
      route,
      () => ({ stream: Readable.from([bytes]), length: bytes.length, type: 'application/json' }),
      subject
    )
  }

  /**
   * A DELETE, bounded by `deadline` alone: it cleans up after the run, so it must still go out
   * when the run's own deadline has passed or the run was stopped. 'gone' when Workato has no
   * such thing (a second delete).
   */
  async delete(route: Route, subject: Subject, deadline: Deadline): Promise<'deleted' | 'gone'> {
    const url = new URL(route.path, this.baseUrl)
    return this.retrying(
      route,
      subject,
      mayRetryRead,
      async () => {
        const response = await send('DELETE', url.href, this.jsonHeaders(url), null, {
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: this.timing.requestDeadlineMs,
          signal: deadline.signal
        })
        try {
          await this.readJson(response, subject)
        } catch (error) {
          if (error instanceof HttpStatusError && error.status === 404) return 'gone'
          // a 2xx with no JSON (204, say) is a delete done
          if (!(error instanceof NotJson && response.status < 300)) throw error
        }
        return 'deleted'
      },
      deadline
    )
  }

  private async send(
    route: Route,
    body: () => Payload | null,
    subject: Subject
  ): Promise<Record<string, unknown>> {
    const method = route.method
    if (method === 'GET' || method === 'DELETE') {
      throw new Error(`${route.path} is not a write with a body`)
    }
    const url = new URL(route.path, this.baseUrl)
    const bound = this.run.deadline
    const answer = await this.retrying(
      route,
      subject,
      undefined,
      async () => {
        const payload = body()
        const headers: Record<string, string | number> = this.jsonHeaders(url)
        if (payload) {
          headers['Content-Type'] = payload.type ?? 'application/octet-stream'
          headers['Content-Length'] = payload.length
        }
        const response = await send(method, url.href, headers, payload?.stream ?? null, {
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: payload ? this.timing.transferDeadlineMs : this.timing.requestDeadlineMs,
          signal: bound?.signal
        })
        return this.readJson(response, subject)
      },
      bound
    )
    return answer as Record<string, unknown>
  }

  /** Streams a package to `destination`, refusing more than `maxBytes` (TooLarge, not retried). */
  async download(
    route: Route,
    destination: string,
    subject: Subject,
    maxBytes: number
  ): Promise<FileFacts> {
    const url = new URL(route.path, this.baseUrl)
    // Every attempt asks /download again, so an expired pre-signed URL is replaced by a fresh one.
    const mayRetry = (error: unknown): boolean =>
      !(error instanceof TooLarge) &&
      (mayRetryRead(error) || (error instanceof StorageError && error.problem !== 'redirect'))
    const bound = this.run.deadline
    return this.retrying(
      route,
      subject,
      mayRetry,
      () =>
        downloadToFile(url.href, destination, {
          headersFor: u => this.headersFor(u),
          maxRedirects: 5,
          maxBytes,
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: this.timing.transferDeadlineMs,
          signal: bound?.signal
        }),
      bound
    )
  }

  /**
   * Streams a file whose URL an answer names (a project build's download_url): `locate` gives it
   * for each attempt (an expired pre-signed URL is replaced by asking again), and it is counted
   * against `route`'s collection. The token goes only to the API's own origin, never elsewhere.
   */
  async downloadFrom(
    route: Route,
    locate: (attempt: number) => Promise<string>,
    destination: string,
    subject: Subject,
    maxBytes: number
  ): Promise<FileFacts> {
    const mayRetry = (error: unknown): boolean =>
      !(error instanceof TooLarge) &&
      (mayRetryRead(error) || (error instanceof StorageError && error.problem !== 'redirect'))
    const bound = this.run.deadline
    let attempt = 0
    return this.retrying(
      route,
      subject,
      mayRetry,
      async () => {
        const url = storageUrl(await locate(++attempt), this.baseUrl)
        return downloadToFile(url.href, destination, {
          headersFor: u => this.headersFor(u),
          maxRedirects: 5,
          maxBytes,
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: this.timing.transferDeadlineMs,
          signal: bound?.signal,
          startsAtStorage: url.origin !== this.origin
        })
      },
      bound
    )
  }

  private jsonHeaders(url: URL): Record<string, string> {
    return { Accept: 'application/json', ...this.headersFor(url) }
  }

  private async readJson(
    response: Response,
    subject: Subject,
    want: 'object' | 'array' = 'object'
  ): Promise<unknown> {
    return readJson(response, want, () => this.clock.now()).catch((error: unknown) => {
      if (!(error instanceof BodyTooLarge)) throw error
      // The cap protects memory. Every answer the action asks for is small (recipe lists without
      // code, one package's status): one this big is not Workato's usual answer.
      throw new ActionError(
        `Workato's answer to ${subject.call} (HTTP ${response.status}) is larger than ${error.limit >> 20} MiB ` +
          `(${subject.large ?? 'an answer the action expects to be a few KB'}); it was not read. ` +
          `Check ${this.side}-host and any proxy in between.`
      )
    })
  }

  private async retrying<T>(
    route: Route,
    subject: Subject,
    mayRetry: ((error: unknown) => boolean) | undefined,
    operation: () => Promise<T>,
    deadline?: Deadline
  ): Promise<T> {
    return retryingCall(operation, {
      what: subject.call,
      policy: this.timing.retry,
      write: route.write,
      mayRetry,
      clock: this.clock,
      deadline,
      budget: this.budget(route.collection),
      describe: describeFailure,
      explain: (last, attempts) =>
        explainFailure(
          last,
          { side: this.side, baseUrl: this.baseUrl, attempts, isWrite: route.write },
          subject
        )
    })
  }
}
