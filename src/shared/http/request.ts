import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { errorCode } from './retry.js'

export interface Response {
  status: number
  headers: IncomingHttpHeaders
  message: IncomingMessage
  /** Aborted when the request's deadline (or the caller's signal) ends it, body included. */
  signal: AbortSignal
}

let userAgent = 'github-action'

/** The User-Agent every request of this process sends: the action's name, set once by its entry. */
export function identifyAs(name: string): void {
  userAgent = name
}

/** A request ran past its own overall deadline: headers and body together. */
export class RequestDeadline extends Error {
  readonly code = 'ETIMEDOUT'
  constructor(readonly ms: number) {
    super(`the request took longer than ${Math.round(ms / 1000)} s`)
    this.name = 'RequestDeadline'
  }
}

/** A body larger than its reader allows; the connection was closed, not drained. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${limit} bytes`)
    this.name = 'BodyTooLarge'
  }
}

export interface SendOptions {
  /** A silent socket is given up after this long. */
  idleTimeoutMs: number
  /** The whole request, headers and body, ends here at the latest. */
  deadlineMs: number
  /** Ends the request early (the wait's hard end, say); its reason is what the caller sees. */
  signal?: AbortSignal
}

/**
 * Sends one request. A fresh client each time: it carries no credential handler and follows no
 * redirect, so a token only goes where the caller sends it (http-client re-adds handler
 * credentials after a cross-host redirect). Its one handler gives the request an abort signal
 * (http-client passes every request's options through its handlers), so the deadline and the
 * caller's signal destroy the socket instead of leaving it to run on.
 */
export async function send(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  headers: Record<string, string | number>,
  body: NodeJS.ReadableStream | null,
  options: SendOptions
): Promise<Response> {
  const controller = new AbortController()
  const timer = setTimeout(
    () => controller.abort(new RequestDeadline(options.deadlineMs)),
    options.deadlineMs
  )
  const outer = options.signal
  const onOuterAbort = (): void => controller.abort(outer?.reason)
  if (outer?.aborted) onOuterAbort()
  outer?.addEventListener('abort', onOuterAbort, { once: true })
  const done = (): void => {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuterAbort)
  }
  const client = new HttpClient(userAgent, [withSignal(controller.signal)], {
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: options.idleTimeoutMs,
    keepAlive: false
  })
  let message: IncomingMessage
  try {
    message = (await client.request(method, url, body, headers)).message
  } catch (error) {
    done()
    throw controller.signal.aborted ? controller.signal.reason : error
  }
  message.once('close', done)
  // http-client's timeout covers only the wait for headers; a body that stalls must fail too.
  message.setTimeout(options.idleTimeoutMs, () => {
    message.destroy(Object.assign(new Error('the response stalled'), { code: 'ETIMEDOUT' }))
  })
  return {
    status: message.statusCode ?? 0,
    headers: message.headers,
    message,
    signal: controller.signal
  }
}

function withSignal(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal
      // http-client passes URL.hostname, which keeps an IPv6 literal's brackets: Node would
      // look "[::1]" up as a name and never connect.
      if (typeof options.host === 'string') options.host = options.host.replace(/^\[(.*)\]$/, '$1')
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not an authentication handler'))
  }
}

/** The error to report for a body that broke off: the deadline's own, when it was the cause. */
export function bodyError(response: Response, error: unknown): unknown {
  return response.signal.aborted ? response.signal.reason : error
}

/**
 * Reads a small body (JSON or an error page) up to `limit` bytes; past that the connection is
 * destroyed, not drained (BodyTooLarge). Rejects if the connection drops or the deadline ends it.
 */
export async function readText(response: Response, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  try {
    await pipeline(
      response.message,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          length += chunk.length
          if (length > limit) return callback(new BodyTooLarge(limit))
          chunks.push(chunk)
          callback()
        }
      })
    )
  } catch (error) {
    throw bodyError(response, error)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Drops a body we do not need; destroying the socket is cheaper than draining it. */
export function discardBody(message: IncomingMessage): void {
  message.on('error', () => undefined)
  message.destroy()
}

/**
 * Says what went wrong with a connection without quoting the error's own text: http-client puts
 * the full request path (a pre-signed query string, for storage) into its timeout message.
 */
export function describeNetworkError(error: unknown): string {
  if (error instanceof RequestDeadline) return error.message
  const code = errorCode(error)
  const text = String((error as Error)?.message ?? error)
  if (code === 'ECONNREFUSED') return 'the connection was refused'
  if (code === 'ECONNRESET' || /socket hang up|aborted/i.test(text))
    return 'the connection was reset'
  if (code === 'ETIMEDOUT' || /timeout|stalled/i.test(text)) return 'the connection timed out'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved'
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return 'the connection closed early'
  if (code) return `network error ${code}`
  return 'network error'
}
