import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HttpClient } from '@actions/http-client'
import { errorCode } from './retry.js'

export interface Response {
  status: number
  headers: IncomingHttpHeaders
  message: IncomingMessage
}

const USER_AGENT = 'workato-promote'

/**
 * One client for every host. It carries no credential handler and follows no redirect: headers
 * are given per request, so a token can only go where the caller sends it (http-client re-adds
 * handler credentials after a cross-host redirect).
 */
export function createClient(socketTimeoutMs: number): HttpClient {
  return new HttpClient(USER_AGENT, [], {
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: socketTimeoutMs,
    keepAlive: false
  })
}

export async function send(
  client: HttpClient,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string | number>,
  body: NodeJS.ReadableStream | null,
  idleTimeoutMs: number
): Promise<Response> {
  const response = await client.request(method, url, body, headers as Record<string, string>)
  const message = response.message
  // http-client's timeout covers only the wait for headers; a body that stalls must fail too.
  message.setTimeout(idleTimeoutMs, () => {
    message.destroy(Object.assign(new Error('the response stalled'), { code: 'ETIMEDOUT' }))
  })
  return { status: message.statusCode ?? 0, headers: message.headers, message }
}

/** Reads a small body (JSON or an error page) up to `limit` bytes; rejects if the connection drops. */
export async function readText(message: IncomingMessage, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = []
  let length = 0
  await pipeline(
    message,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (length < limit) chunks.push(chunk.subarray(0, limit - length))
        length += chunk.length
        callback()
      }
    })
  )
  return Buffer.concat(chunks).toString('utf8')
}

/** Drains a body we do not need, so the socket is released; errors do not matter here. */
export function discardBody(message: IncomingMessage): void {
  message.resume()
  message.on('error', () => undefined)
}

/**
 * Says what went wrong with a connection without quoting the error's own text: http-client puts
 * the full request path (a pre-signed query string, for storage) into its timeout message.
 */
export function describeNetworkError(error: unknown): string {
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
