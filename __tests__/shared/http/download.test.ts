/** The download stage on its own: what reaches the file, what is hashed, and where it stops. */
import { createHash } from 'node:crypto'
import { existsSync, promises as fs } from 'node:fs'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { downloadToFile, StorageError, TooLarge } from '../../../src/shared/http/download.js'

const MB = 1024 * 1024
/** Not a multiple of any buffer size, so partial chunks are exercised. */
const body = Buffer.alloc(3 * MB + 12_345)
for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24
const sha256 = createHash('sha256').update(body).digest('hex')

let server: http.Server
let base = ''
/** Waiting for a request to /endless to close: each is told the bytes it managed to send. */
const endlessClosed: Array<(sent: number) => void> = []
const seenHeaders: http.IncomingHttpHeaders[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenHeaders.push(req.headers)
    if (req.url === '/package') {
      res.writeHead(200, { 'Content-Length': body.length })
      res.end(body)
    } else if (req.url === '/redirect') {
      res.writeHead(302, { Location: `${base}/package` })
      res.end()
    } else if (req.url === '/undeclared') {
      res.writeHead(200)
      res.end(body)
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'Content-Length': body.length })
      res.write(body.subarray(0, MB), () => res.destroy())
    } else if (req.url === '/endless') {
      res.writeHead(200)
      let sent = 0
      const chunk = Buffer.alloc(256 * 1024)
      const more = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length
        if (!res.destroyed) res.once('drain', more)
      }
      res.on('close', () => endlessClosed.shift()?.(sent))
      more()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map(dir => fs.rm(dir, { recursive: true, force: true }))))

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'download-'))
  dirs.push(dir)
  return dir
}

async function destination(): Promise<string> {
  const dir = await tempDir()
  const file = path.join(dir, 'package.zip')
  await fs.writeFile(file, '')
  return file
}

const options = (maxBytes = 16 * MB) => ({
  headersFor: (url: URL) =>
    url.pathname === '/redirect'
      ? { Authorization: 'Bearer api-only' }
      : ({} as Record<string, string>),
  maxRedirects: 2,
  maxBytes,
  // no test here waits for either: far enough off that a loaded machine never reaches them
  idleTimeoutMs: 30_000,
  deadlineMs: 50_000
})

describe('downloadToFile', () => {
  test('writes every byte and hashes exactly what it wrote', async () => {
    const file = await destination()
    const facts = await downloadToFile(`${base}/package`, file, options())
    expect(facts).toEqual({ sha256, size: body.length })
    expect((await fs.readFile(file)).equals(body)).toBe(true)
  })

  test('follows a redirect, sending the credential only where headersFor says', async () => {
    const file = await destination()
    seenHeaders.length = 0
    const facts = await downloadToFile(`${base}/redirect`, file, options())
    expect(facts.sha256).toBe(sha256)
    expect(seenHeaders.map(h => h.authorization)).toEqual(['Bearer api-only', undefined])
  })

  test('a body without Content-Length is counted as it comes', async () => {
    const file = await destination()
    expect(await downloadToFile(`${base}/undeclared`, file, options())).toEqual({
      sha256,
      size: body.length
    })
  })

  test('a declared size over the limit is refused before anything is written', async () => {
    const file = await destination()
    const error = await downloadToFile(`${base}/package`, file, options(MB)).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(TooLarge)
    expect((error as TooLarge).declared).toBe(body.length)
    expect((await fs.stat(file)).size).toBe(0)
  })

  test('an undeclared body is cut at the limit and its socket closed, not drained', async () => {
    const file = await destination()
    const sent = new Promise<number>(resolve => endlessClosed.push(resolve))
    const error = await downloadToFile(`${base}/endless`, file, options(2 * MB)).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(TooLarge)
    expect((await fs.stat(file)).size).toBeLessThanOrEqual(2 * MB)
    // The server stopped within a few socket buffers of the limit, not after gigabytes.
    expect(await sent).toBeLessThan(64 * MB)
  })

  test('a body that breaks off is a cut-short storage error', async () => {
    const file = await destination()
    const error = await downloadToFile(`${base}/cut`, file, options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).problem).toBe('cut-short')
  })

  test('a file that cannot take the bytes is said to be the file, not the network', async () => {
    // /dev/full opens for writing and fails every write with ENOSPC, like a full disk.
    const error = await downloadToFile(`${base}/package`, '/dev/full', options()).catch(
      (e: unknown) => e
    )
    expect(error).not.toBeInstanceOf(StorageError)
    expect((error as Error).message).toBe('cannot write the download (ENOSPC)')
  })

  test('a link planted at the destination is not written through', async () => {
    const dir = await tempDir()
    const target = path.join(dir, 'elsewhere')
    const link = path.join(dir, 'package.zip')
    await fs.symlink(target, link)
    const error = await downloadToFile(`${base}/package`, link, options()).catch((e: unknown) => e)
    expect((error as Error).message).toBe('cannot write the download (ELOOP)')
    expect(existsSync(target)).toBe(false)
  })
})
