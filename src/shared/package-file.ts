import { createHash, randomBytes, type Hash } from 'node:crypto'
import { constants, createReadStream, promises as fs, rmSync } from 'node:fs'
import * as path from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { END_OF_CENTRAL_DIRECTORY, LOCAL_HEADER } from './zip.js'

/**
 * Buffer size for package streams. With Node's 16 KiB default the socket is paused for every
 * chunk until its file write completes; 1 MiB lets network, hashing and disk overlap (measured:
 * the 200 MB download went from about 2 s to about 1 s, see BENCHMARKS.md).
 */
export const STREAM_BUFFER = 1 << 20

/** Counts and hashes the bytes that pass through, without holding them. */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256')
  bytes = 0

  constructor() {
    super({ highWaterMark: STREAM_BUFFER })
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk)
    this.bytes += chunk.length
    callback(null, chunk)
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

/** A file sent as a request body, hashed as it is read: each attempt reads it afresh. */
export class HashedFileBody {
  private hashing?: HashingStream

  constructor(
    readonly path: string,
    readonly size: number
  ) {}

  /** The file, from its start, for one attempt. */
  open(): NodeJS.ReadableStream {
    this.hashing = new HashingStream()
    return createReadStream(this.path, { highWaterMark: STREAM_BUFFER }).pipe(this.hashing)
  }

  /** The sha256 and size of what the last attempt read: the bytes that went out. */
  sent(): FileFacts {
    const hashing = this.hashing ?? new HashingStream()
    return { sha256: hashing.digest(), size: hashing.bytes }
  }
}

export interface FileFacts {
  sha256: string
  size: number
}

export async function hashFile(filePath: string): Promise<FileFacts> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(filePath, { highWaterMark: STREAM_BUFFER })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

/**
 * Why a package must not be written at `file`, if it must not: a folder, or a file that is not a
 * zip (a typo in package-path must not replace some other file; an earlier package, an empty file
 * or a link may be replaced, the link itself and never what it points to).
 */
export async function overwriteProblem(file: string): Promise<string | undefined> {
  const stat = await fs.lstat(file).catch(() => undefined)
  if (!stat || stat.isSymbolicLink() || (stat.isFile() && stat.size === 0)) return undefined
  if (stat.isDirectory()) return 'is a directory'
  if (!stat.isFile()) return 'is not a regular file'
  const handle = await fs.open(file, 'r')
  try {
    const head = Buffer.alloc(4)
    await handle.read(head, 0, 4, 0)
    const magic = head.readUInt32LE(0)
    if (magic === LOCAL_HEADER || magic === END_OF_CENTRAL_DIRECTORY) return undefined
  } finally {
    await handle.close()
  }
  return 'already holds a file that is not a zip: refusing to replace it'
}

/**
 * Where a package is written until it is complete and checked: beside the final path, so the
 * rename that publishes it is atomic; named so it is never mistaken for a package, and randomly,
 * so nobody can plant a link at it beforehand.
 */
export function partialPathFor(finalPath: string): string {
  const name = path.basename(finalPath).slice(0, 100)
  return path.join(path.dirname(finalPath), `.${name}.${randomBytes(8).toString('hex')}.partial`)
}

/**
 * Runs `write` against a partial file and publishes it at `finalPath` only if `write` succeeds,
 * so a failed or interrupted run never leaves something that looks like a good package. The
 * partial file is created new (O_EXCL, O_NOFOLLOW); the rename replaces whatever is at
 * `finalPath`, a link included, and never writes through one.
 */
export async function writeAtomically<T>(
  finalPath: string,
  write: (partialPath: string) => Promise<T>
): Promise<T> {
  await fs.mkdir(path.dirname(finalPath), { recursive: true })
  const partial = partialPathFor(finalPath)
  inProgress.add(partial)
  try {
    const created = await fs.open(
      partial,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW,
      0o644
    )
    await created.close()
    const result = await write(partial)
    await fs.rename(partial, finalPath)
    return result
  } finally {
    await fs.rm(partial, { force: true })
    inProgress.delete(partial)
  }
}

/** Partial files still being written; removed even when the process exits mid-write (cancel). */
const inProgress = new Set<string>()
process.on('exit', () => {
  for (const partial of inProgress) rmSync(partial, { force: true })
})

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}
