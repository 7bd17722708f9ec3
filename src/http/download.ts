import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import type { HttpClient } from '@actions/http-client'
import { HashingStream, STREAM_BUFFER, type FileFacts } from '../package-file.js'
import { HttpStatusError, parseRetryAfter } from './retry.js'
import { describeNetworkError, discardBody, readText, send } from './request.js'
import { isLoopback } from './urls.js'

export type StorageProblem = 'expired' | 'status' | 'network' | 'cut-short' | 'redirect'

/** A failure at (or on the way to) the storage host. Never carries the pre-signed URL. */
export class StorageError extends Error {
  constructor(
    readonly problem: StorageProblem,
    detail: string,
    readonly status?: number
  ) {
    super(detail)
    this.name = 'StorageError'
  }
}

export interface DownloadOptions {
  client: HttpClient
  /** Headers for a URL: the API credential for the API's own origin, nothing anywhere else. */
  headersFor: (url: URL) => Record<string, string>
  maxRedirects: number
  idleTimeoutMs: number
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Streams `url` into `destination` while hashing it, following redirects by hand so each hop
 * gets only the headers meant for its host. The first hop is the API: its errors come back as
 * HttpStatusError (or a network error) for the caller's policy; later hops are storage.
 */
export async function downloadToFile(
  url: string,
  destination: string,
  options: DownloadOptions
): Promise<FileFacts> {
  let current = new URL(url)
  for (let hop = 0; ; hop++) {
    const atStorage = hop > 0
    let response
    try {
      response = await send(
        options.client,
        'GET',
        current.href,
        options.headersFor(current),
        null,
        options.idleTimeoutMs
      )
    } catch (error) {
      if (!atStorage) throw error
      throw new StorageError('network', describeNetworkError(error))
    }
    const { status, headers, message } = response
    if (REDIRECTS.has(status)) {
      discardBody(message)
      if (hop >= options.maxRedirects) {
        throw new StorageError('redirect', `more than ${options.maxRedirects} redirects`)
      }
      current = nextHop(current, headers.location)
      continue
    }
    if (status !== 200) {
      if (!atStorage) {
        const body = await readText(message, 64 * 1024).catch(() => '')
        throw new HttpStatusError(
          status,
          parseRetryAfter(headers['retry-after'], Date.now()),
          body,
          `HTTP ${status}`
        )
      }
      discardBody(message)
      const expired = status === 400 || status === 403
      throw new StorageError(expired ? 'expired' : 'status', `HTTP ${status}`, status)
    }
    const hashing = new HashingStream()
    try {
      await pipeline(
        message,
        hashing,
        createWriteStream(destination, { highWaterMark: STREAM_BUFFER })
      )
    } catch (error) {
      throw new StorageError('cut-short', `the download broke off: ${describeNetworkError(error)}`)
    }
    const declared = Number(headers['content-length'])
    if (headers['content-length'] !== undefined && declared !== hashing.bytes) {
      throw new StorageError('cut-short', `received ${hashing.bytes} of ${declared} bytes`)
    }
    return { sha256: hashing.digest(), size: hashing.bytes }
  }
}

function nextHop(from: URL, location: string | string[] | undefined): URL {
  const text = Array.isArray(location) ? location[0] : location
  if (!text) throw new StorageError('redirect', 'a redirect without a Location header')
  let next: URL
  try {
    next = new URL(text, from)
  } catch {
    throw new StorageError('redirect', 'a redirect to an unreadable Location')
  }
  if (next.username || next.password)
    throw new StorageError('redirect', 'a redirect to a URL with credentials in it')
  const downgrade = from.protocol === 'https:' && next.protocol !== 'https:'
  const plainHttp = next.protocol === 'http:' && !isLoopback(next.hostname)
  if (downgrade || plainHttp || (next.protocol !== 'https:' && next.protocol !== 'http:')) {
    throw new StorageError(
      'redirect',
      `a redirect to ${next.protocol}// refused: only https is followed`
    )
  }
  return next
}
