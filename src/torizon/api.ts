/**
 * Authenticated calls to Torizon Cloud's API: JSON reads and writes with their retry rules, the
 * package upload streamed from disk, and a new token once when the API refuses the kept one.
 */
import { Readable } from 'node:stream'
import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import { readJson, NotJson, type Tuning } from '../shared/http/json.js'
import { BodyTooLarge, send, type Response } from '../shared/http/request.js'
import { retryingCall } from '../shared/http/calls.js'
import { HttpStatusError, mayRetryRead } from '../shared/http/retry.js'
import { HashedFileBody, type FileFacts } from '../shared/package-file.js'
import { capitalize } from '../shared/text.js'
import type { Clock } from '../shared/wait.js'
import { describeFailure, explainFailure, type Call } from './errors.js'
import type { Tokens } from './token.js'

/** The names in a query string, each value encoded on its own (a space is %20, an & stays data). */
export function queryString(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')
}

export class TorizonApi {
  constructor(
    readonly apiUrl: string,
    private readonly tokens: Tokens,
    readonly timing: Tuning,
    private readonly clock: Clock
  ) {}

  async getJson(path: string, call: Call): Promise<Record<string, unknown>> {
    return (await this.read(path, call, 'object')) as Record<string, unknown>
  }

  /** A read whose answer is a JSON list (a device's assignments). */
  async getJsonList(path: string, call: Call): Promise<unknown[]> {
    return (await this.read(path, call, 'array')) as unknown[]
  }

  private async read(path: string, call: Call, shape: 'object' | 'array'): Promise<unknown> {
    return this.retrying(
      call,
      { write: false, mayRetry: error => mayRetryRead(error) || error instanceof NotJson },
      headers =>
        this.exchange('GET', path, headers, null, this.timing.requestDeadlineMs).then(response =>
          this.readAnswer(response, call, shape)
        )
    )
  }

  /**
   * A JSON write, sent again only when refused. Returns the answer's JSON, or undefined when a
   * 2xx carries none: what it means is the caller's to judge.
   */
  async postJson(path: string, body: unknown, call: Call): Promise<unknown> {
    const text = JSON.stringify(body)
    return this.retrying(call, { write: true }, async headers => {
      const response = await this.exchange(
        'POST',
        path,
        {
          ...headers,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text)
        },
        Readable.from([Buffer.from(text)]),
        this.timing.requestDeadlineMs
      )
      return this.readAnswer(response, call, 'any')
    })
  }

  /**
   * Streams `file` as an octet-stream body. Sent again only when the answer proves Torizon did
   * not act on it (a rate limit, 503 with Retry-After, a refused token, no connection at all);
   * returns the answer and the sha256 of the bytes that went out.
   */
  async upload(
    path: string,
    file: { path: string; size: number },
    call: Call
  ): Promise<{ answer: Record<string, unknown>; sent: FileFacts }> {
    const sending = new HashedFileBody(file.path, file.size)
    const answer = await this.retrying(call, { write: true }, async headers => {
      const response = await this.exchange(
        'POST',
        path,
        {
          ...headers,
          'Content-Type': 'application/octet-stream',
          'Content-Length': file.size
        },
        sending.open(),
        this.timing.transferDeadlineMs
      )
      return this.readAnswer(response, call)
    })
    return {
      answer: answer as Record<string, unknown>,
      sent: sending.sent()
    }
  }

  private async exchange(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string | number>,
    body: NodeJS.ReadableStream | null,
    deadlineMs: number
  ): Promise<Response> {
    // api-url has a path of its own (/api/v2beta): appended to, never resolved against.
    return send(method, `${this.apiUrl}${path}`, headers, body, {
      idleTimeoutMs: this.timing.socketTimeoutMs,
      deadlineMs
    })
  }

  private async readAnswer(
    response: Response,
    call: Call,
    want: 'object' | 'array' | 'any' = 'object'
  ): Promise<unknown> {
    try {
      const shape = want === 'array' ? 'array' : 'object'
      return await readJson(response, shape, () => this.clock.now(), call.maxAnswerBytes)
    } catch (error) {
      if (error instanceof NotJson && want === 'any') return undefined
      if (!(error instanceof BodyTooLarge)) throw error
      // a 2xx to a write was acted on: say so, rather than leave the user to think it was not
      const done =
        want === 'any' && response.status >= 200 && response.status < 300
          ? ' Torizon Cloud accepted the request: check its effect there before rerunning.'
          : ' Check api-url and any proxy in between.'
      throw new ActionError(
        `Torizon Cloud's answer to ${call.what} (HTTP ${response.status}) is larger than ` +
          `${error.limit >> 20} MiB; it was not read.${done}`
      )
    }
  }

  /**
   * Retries by `mayRetry`, each try with a token that is fresh; a 401 gets one more try with a
   * new token (a 401 proves the request was not acted on, so even an upload may go again).
   */
  private async retrying<T>(
    call: Call,
    kind: { write: boolean; mayRetry?: (error: unknown) => boolean },
    operation: (headers: Record<string, string>) => Promise<T>
  ): Promise<T> {
    let renewed = false
    const attempt = async (): Promise<T> => {
      const headers = {
        Accept: 'application/json',
        Authorization: `Bearer ${await this.tokens.bearer()}`
      }
      try {
        return await operation(headers)
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 401) || renewed) throw error
        renewed = true
        core.info(
          `${capitalize(call.what)}: Torizon Cloud refused the access token; asking for a new one.`
        )
        this.tokens.forget()
        return operation({ ...headers, Authorization: `Bearer ${await this.tokens.bearer()}` })
      }
    }
    return retryingCall(attempt, {
      what: call.what,
      policy: this.timing.retry,
      ...kind,
      clock: this.clock,
      describe: describeFailure,
      explain: (last, attempts) =>
        explainFailure(last, call, {
          apiUrl: this.apiUrl,
          attempts,
          isWrite: kind.write
        })
    })
  }
}
