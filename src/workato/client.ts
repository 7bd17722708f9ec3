import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import {
  BodyTooLarge,
  describeNetworkError,
  readText,
  send,
  type Response
} from '../shared/http/request.js'
import {
  GaveUp,
  HttpStatusError,
  mayResendWrite,
  mayRetryRead,
  parseRetryAfter,
  withRetries,
  type RetryPolicy
} from '../shared/http/retry.js'
import { downloadToFile, StorageError, TooLarge } from '../shared/http/download.js'
import type { FileFacts } from '../shared/package-file.js'
import { oneLine } from '../shared/text.js'
import { DeadlineReached, realClock, type Clock, type Deadline } from '../shared/wait.js'

export type Side = 'source' | 'target'

/** What a call is about, for messages a user can act on. */
export interface Subject {
  /** e.g. "the export of manifest 12" */
  call: string
  /** what a 404 means for this call, e.g. "Export manifest 12 was not found in the source workspace" */
  notFound: string
  /** What to check when Workato refuses the call with 400 or fails it with 5xx (a wrong id, say). */
  check?: string
  /** A hint from Workato's own words for a 400/422 (e.g. running recipes → restart-recipes). */
  hint?: (said: string | undefined) => string
}

/** Workato answered the call with an HTTP error: its status and its own words, for callers to sort. */
export class WorkatoRefusal extends ActionError {
  constructor(
    message: string,
    readonly status: number,
    readonly said: string | undefined
  ) {
    super(message)
    this.name = 'WorkatoRefusal'
  }
}

/**
 * Timings. Tests of the slow and failing paths shorten them through the environment (see the
 * README's development section); users have no reason to.
 */
export interface Tuning {
  retry: RetryPolicy
  /** Workato cuts requests off after 40 s; a little more before a silent socket is given up. */
  socketTimeoutMs: number
  /** A JSON call, headers and body, ends here at the latest, however slowly bytes trickle in. */
  requestDeadlineMs: number
  /** A package download or upload ends here at the latest. */
  transferDeadlineMs: number
}

export function tuning(env: NodeJS.ProcessEnv = process.env): Tuning {
  const number = (name: string, fallback: number): number => {
    const value = Number(env[name])
    return env[name] && Number.isFinite(value) && value >= 0 ? value : fallback
  }
  return {
    retry: {
      attempts: 5,
      baseDelayMs: number('WORKATO_PROMOTE_RETRY_BASE_MS', 1000),
      maxDelayMs: 30_000,
      maxRetryAfterMs: 120_000
    },
    socketTimeoutMs: number('WORKATO_PROMOTE_SOCKET_TIMEOUT_MS', 60_000),
    requestDeadlineMs: number('WORKATO_PROMOTE_REQUEST_DEADLINE_MS', 120_000),
    transferDeadlineMs: number('WORKATO_PROMOTE_TRANSFER_DEADLINE_MS', 30 * 60_000)
  }
}

/** A body that should have been JSON and was not (a proxy's HTML page, say). */
class NotJson extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string
  ) {
    super('not JSON')
  }
}

export class WorkatoClient {
  private readonly origin: string

  constructor(
    readonly side: Side,
    readonly baseUrl: string,
    private readonly token: string,
    readonly timing: Tuning = tuning(),
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
        return this.readJson(response, subject)
      },
      deadline
    )
  }

  async postJson(
    path: string,
    body: () => { stream: NodeJS.ReadableStream; length: number } | null,
    subject: Subject
  ): Promise<Record<string, unknown>> {
    const url = new URL(path, this.baseUrl)
    return this.retrying(subject, mayResendWrite, async () => {
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

  private async readJson(response: Response, subject: Subject): Promise<Record<string, unknown>> {
    let text: string
    try {
      text = await readText(response)
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error
      // Nothing Workato documents comes near this: an answer that big is not one to trust.
      throw new ActionError(
        `Workato's answer to ${subject.call} (HTTP ${response.status}) is larger than ` +
          `${error.limit >> 20} MiB; it was not read. Check ${this.side}-host and any proxy in between.`
      )
    }
    if (response.status < 200 || response.status > 299) {
      throw new HttpStatusError(
        response.status,
        parseRetryAfter(response.headers['retry-after'], this.clock.now()),
        text,
        `HTTP ${response.status}`
      )
    }
    try {
      const value: unknown = JSON.parse(text)
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>
    } catch {
      // fall through
    }
    throw new NotJson(
      response.status,
      String(response.headers['content-type'] ?? 'no content type')
    )
  }

  private async retrying<T>(
    subject: Subject,
    mayRetry: (error: unknown) => boolean,
    operation: () => Promise<T>,
    deadline?: Deadline
  ): Promise<T> {
    try {
      return await withRetries(operation, {
        policy: this.timing.retry,
        mayRetry,
        sleep: ms => this.clock.sleep(ms),
        deadline: deadline && {
          ...deadline,
          now: () => this.clock.now(),
          expired: () => new DeadlineReached()
        },
        onRetry: (error, delayMs, attempt) =>
          core.info(
            `${capitalize(subject.call)}: ${this.describe(error)}; trying again in ${formatDelay(delayMs)} ` +
              `(attempt ${attempt + 1} of ${this.timing.retry.attempts}).`
          )
      })
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error
      throw this.explain(error.last, error.attempts, subject, mayRetry === mayResendWrite)
    }
  }

  private describe(error: unknown): string {
    if (error instanceof HttpStatusError) return `Workato answered HTTP ${error.status}`
    if (error instanceof NotJson)
      return `Workato answered HTTP ${error.status} with a body that is not JSON (${error.contentType})`
    if (error instanceof ActionError) return error.message
    if (error instanceof StorageError) return `${error.where()}: ${error.message}`
    return describeNetworkError(error)
  }

  /** Turns the last error of a call into one message that says what happened and what to check. */
  private explain(error: unknown, attempts: number, subject: Subject, isWrite: boolean): Error {
    // the caller words these: it knows the input and the platform's limit
    if (error instanceof ActionError || error instanceof TooLarge) return error
    const tries = attempts > 1 ? ` after ${attempts} tries` : ''
    const where = `the ${this.side} workspace (${this.baseUrl})`
    if (error instanceof HttpStatusError) {
      const said = workatoMessage(error.body)
      const quoted = said ? `: "${said}"` : ''
      const check = subject.check ? ` ${subject.check}` : ''
      const refusal = (message: string): WorkatoRefusal =>
        new WorkatoRefusal(message, error.status, said)
      switch (error.status) {
        case 401:
        case 403:
          return refusal(
            `Workato refused the ${this.side} token (HTTP ${error.status}) for ${subject.call}${quoted}. ` +
              `Check ${this.side}-token, that its API client has the Recipe Lifecycle Management privileges, ` +
              `and that ${this.side}-host is the data center of that workspace.`
          )
        case 404:
          return refusal(`${subject.notFound} (HTTP 404 from ${where})${quoted}.`)
        case 413:
          return refusal(
            `Workato refused ${subject.call} (HTTP 413)${quoted}: the package is over Workato's size limit ` +
              '(its docs say 100 MB for an import). Split the export manifest into smaller ones.'
          )
        case 400:
        case 422:
          return refusal(
            `Workato rejected ${subject.call} (HTTP ${error.status})${quoted}.${subject.hint?.(said) ?? ''}${check}`
          )
        default:
          return refusal(
            `Workato answered HTTP ${error.status} to ${subject.call}${tries}${quoted}. ` +
              (error.status === 429
                ? 'The API client is over its rate limit; try again later.'
                : `Check Workato's status and try again.${check}`)
          )
      }
    }
    if (error instanceof NotJson) {
      return new ActionError(
        `${capitalize(subject.call)} got an answer from ${where} that is not JSON ` +
          `(HTTP ${error.status}, ${error.contentType})${tries}: a proxy or an outage page? Check ${this.side}-host.`
      )
    }
    if (error instanceof StorageError) {
      const expired =
        error.problem === 'expired' ? ' (the pre-signed download link was refused each time)' : ''
      return new ActionError(
        `${capitalize(subject.call)} failed${tries}: ${error.where()}: ${error.message}${expired}. Try again later.`
      )
    }
    const network = describeNetworkError(error)
    if (isWrite && !mayResendWrite(error)) {
      return new ActionError(
        `${capitalize(subject.call)} failed: ${network}. The request may have reached Workato, so it was not ` +
          `sent again (a second one would run twice). Check the packages of ${where} before rerunning.`
      )
    }
    return new ActionError(
      `${capitalize(subject.call)} failed${tries}: ${network} (${where}). Check ${this.side}-host and the network.`
    )
  }
}

/**
 * Workato's own words from an error body, on one line: `message` (or `error` / `errors`), then
 * `error_parts` as its Go CLI prints them, then the error `id` Workato support asks for.
 */
export function workatoMessage(body: string): string | undefined {
  let json: Record<string, unknown>
  try {
    const value: unknown = JSON.parse(body)
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    json = value as Record<string, unknown>
  } catch {
    return undefined
  }
  const text = (value: unknown): string | undefined =>
    value === undefined || value === null || value === ''
      ? undefined
      : typeof value === 'string'
        ? value
        : JSON.stringify(value)
  const parts = [text(json.message ?? json.error ?? json.errors), text(json.error_parts)]
  const said = oneLine(parts.filter(Boolean).join('; '), 250)
  // The id is kept whole, after the cut: it is what support needs.
  const id =
    typeof json.id === 'string' || typeof json.id === 'number' ? oneLine(String(json.id), 80) : ''
  if (!id) return said || undefined
  return `${said || 'no message'} (error id ${id})`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
