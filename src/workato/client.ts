/** Authenticated calls to one Workato workspace: JSON reads and writes with their retry rules, and the package download. */
import { ActionError } from '../shared/errors.js'
import { BodyTooLarge, send, type Response } from '../shared/http/request.js'
import { NotJson, readJson, tuning, type Tuning } from '../shared/http/json.js'
import { retryingCall } from '../shared/http/calls.js'
import { mayResendWrite, mayRetryRead } from '../shared/http/retry.js'
import { downloadToFile, StorageError, TooLarge } from '../shared/http/download.js'
import type { FileFacts } from '../shared/package-file.js'
import { realClock, type Clock, type Deadline } from '../shared/wait.js'
import { describeFailure, explainFailure, type Side, type Subject } from './errors.js'

export class WorkatoClient {
  private readonly origin: string

  constructor(
    readonly side: Side,
    readonly baseUrl: string,
    private readonly token: string,
    readonly timing: Tuning = tuning('WORKATO_PROMOTE'),
    private readonly clock: Clock = realClock
  ) {
    this.origin = new URL(baseUrl).origin
  }

  /** The token goes to the API's own origin and nowhere else. */
  headersFor(url: URL): Record<string, string> {
    return url.origin === this.origin ? { Authorization: `Bearer ${this.token}` } : {}
  }

  /** A GET, retried; with a deadline (a wait's hard end) nothing runs or waits past it. */
  async getJson(
    path: string,
    subject: Subject,
    deadline?: Deadline
  ): Promise<Record<string, unknown>> {
    return (await this.get(path, subject, 'object', deadline)) as Record<string, unknown>
  }

  /** A GET of one of Workato's lists, which answer a bare JSON array. */
  async getList(path: string, subject: Subject): Promise<unknown[]> {
    return (await this.get(path, subject, 'array')) as unknown[]
  }

  private async get(
    path: string,
    subject: Subject,
    want: 'object' | 'array',
    deadline?: Deadline
  ): Promise<unknown> {
    const url = new URL(path, this.baseUrl)
    return this.retrying(
      subject,
      error => mayRetryRead(error) || error instanceof NotJson,
      async () => {
        const response = await send('GET', url.href, this.jsonHeaders(url), null, {
          idleTimeoutMs: this.timing.socketTimeoutMs,
          deadlineMs: this.timing.requestDeadlineMs,
          signal: deadline?.signal
        })
        return this.readJson(response, subject, want)
      },
      deadline
    )
  }

  /** A PUT without a body (starting a recipe, say): a write, sent again only when refused. */
  async putJson(path: string, subject: Subject): Promise<Record<string, unknown>> {
    const url = new URL(path, this.baseUrl)
    const answer = await this.retrying(subject, mayResendWrite, async () => {
      const response = await send('PUT', url.href, this.jsonHeaders(url), null, {
        idleTimeoutMs: this.timing.socketTimeoutMs,
        deadlineMs: this.timing.requestDeadlineMs
      })
      return this.readJson(response, subject)
    })
    return answer as Record<string, unknown>
  }

  async postJson(
    path: string,
    body: () => { stream: NodeJS.ReadableStream; length: number } | null,
    subject: Subject
  ): Promise<Record<string, unknown>> {
    const url = new URL(path, this.baseUrl)
    const answer = await this.retrying(subject, mayResendWrite, async () => {
      const payload = body()
      const headers: Record<string, string | number> = this.jsonHeaders(url)
      if (payload) {
        headers['Content-Type'] = 'application/octet-stream'
        headers['Content-Length'] = payload.length
      }
      const response = await send('POST', url.href, headers, payload?.stream ?? null, {
        idleTimeoutMs: this.timing.socketTimeoutMs,
        deadlineMs: payload ? this.timing.transferDeadlineMs : this.timing.requestDeadlineMs
      })
      return this.readJson(response, subject)
    })
    return answer as Record<string, unknown>
  }

  /** Streams a package to `destination`, refusing more than `maxBytes` (TooLarge, not retried). */
  async download(
    path: string,
    destination: string,
    subject: Subject,
    maxBytes: number
  ): Promise<FileFacts> {
    const url = new URL(path, this.baseUrl)
    // Every attempt asks /download again, so an expired pre-signed URL is replaced by a fresh one.
    const mayRetry = (error: unknown): boolean =>
      !(error instanceof TooLarge) &&
      (mayRetryRead(error) || (error instanceof StorageError && error.problem !== 'redirect'))
    return this.retrying(subject, mayRetry, () =>
      downloadToFile(url.href, destination, {
        headersFor: u => this.headersFor(u),
        maxRedirects: 5,
        maxBytes,
        idleTimeoutMs: this.timing.socketTimeoutMs,
        deadlineMs: this.timing.transferDeadlineMs
      })
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
      // Nothing Workato documents comes near this: an answer that big is not one to trust.
      throw new ActionError(
        `Workato's answer to ${subject.call} (HTTP ${response.status}) is larger than ` +
          `${error.limit >> 20} MiB; it was not read. Check ${this.side}-host and any proxy in between.`
      )
    })
  }

  private async retrying<T>(
    subject: Subject,
    mayRetry: (error: unknown) => boolean,
    operation: () => Promise<T>,
    deadline?: Deadline
  ): Promise<T> {
    return retryingCall(operation, {
      what: subject.call,
      policy: this.timing.retry,
      mayRetry,
      clock: this.clock,
      deadline,
      describe: describeFailure,
      explain: (last, attempts) =>
        explainFailure(
          last,
          {
            side: this.side,
            baseUrl: this.baseUrl,
            attempts,
            isWrite: mayRetry === mayResendWrite
          },
          subject
        )
    })
  }
}
