/**
 * One zip reader for every use: locate the central directory, read its entries under limits
 * that keep a hostile zip from exhausting the runner, and read an entry's data, never inflating
 * past what the entry declares. Nothing is extracted to disk.
 */
import { createHash } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import type * as fsp from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { createInflateRaw, inflateRawSync } from 'node:zlib'
import { ActionError } from './errors.js'

export const LOCAL_HEADER = 0x04034b50
export const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_HEADER = 0x02014b50
const EOCD_SIZE = 22
const MAX_COMMENT = 0xffff

export const LIMITS = {
  entries: 10_000,
  directoryBytes: 16 * 1024 * 1024,
  totalUncompressed: 2 * 1024 * 1024 * 1024
}

export interface Entry {
  path: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
  nameLength: number
  /** The name's bytes, as the central directory has them. */
  name: Buffer
  /** Where the data starts, from the local header; set by readEntries. */
  dataOffset: number
  /** The local header names the entry otherwise than the directory does. */
  renamed?: boolean
}

export interface DirectoryLocation {
  offset: number
  size: number
  entries: number
  fileSize: number
}

/** A zip that cannot be read safely; the platform says what that spared (its caller words it). */
export class UnsafeZip extends ActionError {
  constructor(readonly problem: string) {
    super(`The package cannot be listed safely: ${problem}.`)
    this.name = 'UnsafeZip'
  }
}

export function refuse(problem: string): UnsafeZip {
  return new UnsafeZip(problem)
}

/**
 * Checks the two ends of a zip without reading the middle: a local file header at the start and
 * an end-of-central-directory record that accounts for the file's last byte. A body cut short,
 * an HTML error page or an empty file fails here. Returns the problem, or undefined.
 */
export async function zipProblem(filePath: string): Promise<string | undefined> {
  const handle = await fs.open(filePath, 'r')
  try {
    const found = await locateDirectory(handle)
    return 'problem' in found ? found.problem : undefined
  } finally {
    await handle.close()
  }
}

/** Finds the central directory through the end record, checking both ends of the file. */
export async function locateDirectory(
  handle: fsp.FileHandle
): Promise<DirectoryLocation | { problem: string }> {
  const { size } = await handle.stat()
  if (size < EOCD_SIZE) return { problem: `it is only ${size} bytes, too small to be a zip` }
  const head = Buffer.alloc(4)
  await handle.read(head, 0, 4, 0)
  // An empty archive (the export of an empty folder) is only its end record.
  const empty = head.readUInt32LE(0) === END_OF_CENTRAL_DIRECTORY && size === EOCD_SIZE
  if (empty) return { offset: 0, size: 0, entries: 0, fileSize: size }
  if (size < EOCD_SIZE + 4 || head.readUInt32LE(0) !== LOCAL_HEADER) {
    const looksLike = /^\s*[<{]/.test(head.toString('latin1'))
      ? ' (it looks like text: an error page?)'
      : ''
    return { problem: `it does not start with a zip local file header${looksLike}` }
  }
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT)
  const tail = Buffer.alloc(tailLength)
  await handle.read(tail, 0, tailLength, size - tailLength)
  for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== END_OF_CENTRAL_DIRECTORY) continue
    const commentLength = tail.readUInt16LE(i + 20)
    if (i + EOCD_SIZE + commentLength !== tailLength) continue
    const entries = tail.readUInt16LE(i + 10)
    const directorySize = tail.readUInt32LE(i + 12)
    const directoryOffset = tail.readUInt32LE(i + 16)
    const eocdOffset = size - tailLength + i
    if (directoryOffset === 0xffffffff) {
      return {
        problem:
          'it is a zip64 archive, which this reader does not read (packages this size are refused anyway)'
      }
    }
    if (directoryOffset + directorySize > eocdOffset) {
      return { problem: 'its central directory points past the end of the file (truncated?)' }
    }
    return { offset: directoryOffset, size: directorySize, entries, fileSize: size }
  }
  return { problem: 'it has no end-of-central-directory record (truncated?)' }
}

/** The central directory's entries, after every limit and the layout have been checked. */
export async function readEntries(handle: fsp.FileHandle): Promise<Entry[]> {
  const found = await locateDirectory(handle)
  if ('problem' in found) throw refuse(found.problem)
  if (found.entries > LIMITS.entries) {
    throw refuse(`it has ${found.entries} entries (at most ${LIMITS.entries})`)
  }
  if (found.size > LIMITS.directoryBytes)
    throw refuse(`its central directory is ${found.size} bytes`)
  const directory = Buffer.alloc(found.size)
  await handle.read(directory, 0, found.size, found.offset)
  const entries = parseDirectory(directory, found.entries)
  await readLocalHeaders(handle, entries)
  checkLayout(entries, found.offset)
  const renamed = entries.find(e => e.renamed)
  if (renamed) throw refuse(`entry ${shown(renamed.path)} has another name in its local header`)
  const total = entries.reduce((sum, e) => sum + e.size, 0)
  if (total > LIMITS.totalUncompressed) {
    throw refuse(
      `its entries declare ${total} bytes uncompressed (at most ${LIMITS.totalUncompressed})`
    )
  }
  return entries
}

function parseDirectory(directory: Buffer, count: number): Entry[] {
  const entries: Entry[] = []
  let at = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER) {
      throw refuse('its central directory is damaged')
    }
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    const entryPath = directory.toString('utf8', at + 46, at + 46 + nameLength)
    if (
      entryPath.split('/').includes('..') ||
      entryPath.startsWith('/') ||
      entryPath.includes('\\') ||
      entryPath.includes('\0')
    ) {
      throw refuse(`it has an entry named ${shown(entryPath)}, which escapes its folder`)
    }
    entries.push({
      path: entryPath,
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
      nameLength,
      name: directory.subarray(at + 46, at + 46 + nameLength),
      dataOffset: -1
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** Local headers read at once, a few dozen at a time: 10,000 entries must not be 10,000 waits in a row. */
const HEADER_READS = 64

/**
 * Each entry's local header: where its data really starts. The central directory's sizes alone
 * miss the local extra field, which can be made to point every entry at one shared block (60
 * entries declaring 60 MB from 69 KB); the layout is checked on these true extents. A local
 * header must also name its entry as the directory does.
 */
async function readLocalHeaders(handle: fsp.FileHandle, entries: Entry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += HEADER_READS) {
    await Promise.all(
      entries.slice(i, i + HEADER_READS).map(async entry => {
        const header = Buffer.alloc(30 + entry.nameLength)
        const { bytesRead } = await handle.read(header, 0, header.length, entry.localOffset)
        if (bytesRead !== header.length || header.readUInt32LE(0) !== LOCAL_HEADER) {
          throw refuse(`entry ${shown(entry.path)} is damaged`)
        }
        const nameLength = header.readUInt16LE(26)
        // said after the layout: entries sharing one header are better named as an overlap
        entry.renamed = nameLength !== entry.nameLength || !header.subarray(30).equals(entry.name)
        entry.dataOffset = entry.localOffset + 30 + nameLength + header.readUInt16LE(28)
      })
    )
  }
}

/**
 * Every entry's data lies in a place of its own, before the directory, under a name of its own.
 * Entries that share their data (a zip bomb's trick: one deflated block listed a thousand times)
 * or share a name (a plan would compare one and an import take the other) are refused.
 */
function checkLayout(entries: Entry[], directoryOffset: number): void {
  const names = new Set<string>()
  for (const entry of entries) {
    if (names.has(entry.path)) throw refuse(`it has two entries named ${shown(entry.path)}`)
    names.add(entry.path)
  }
  // from the local header to the end of the data, the local extra field included
  const spans = entries
    .map(e => ({
      path: e.path,
      start: e.localOffset,
      end: e.dataOffset + e.compressedSize
    }))
    .sort((a, b) => a.start - b.start)
  spans.forEach((span, i) => {
    const next = spans[i + 1]
    if (next && next.start < span.end) {
      throw refuse(`entries ${shown(span.path)} and ${shown(next.path)} overlap`)
    }
    if (span.end > directoryOffset) {
      throw refuse(`entry ${shown(span.path)} runs into the central directory`)
    }
  })
}

/** Where an entry's data starts, past its local header (read, with the layout, by readEntries). */
function dataStart(entry: Entry): number {
  if (entry.dataOffset < 0) throw refuse(`entry ${shown(entry.path)} is damaged`)
  return entry.dataOffset
}

/**
 * A small entry's content, in memory: never inflated past its declared size, and refused when it
 * is not exactly that size. The caller caps `entry.size` first.
 */
export async function readSmallEntry(handle: fsp.FileHandle, entry: Entry): Promise<Buffer> {
  const data = Buffer.alloc(entry.compressedSize)
  await handle.read(data, 0, entry.compressedSize, dataStart(entry))
  let content: Buffer
  if (entry.method === 0) content = data
  else if (entry.method === 8) {
    try {
      content = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) })
    } catch {
      throw refuse(`entry ${shown(entry.path)} inflates past its declared size or is damaged`)
    }
  } else throw refuse(`entry ${shown(entry.path)} uses compression method ${entry.method}`)
  if (content.length !== entry.size) {
    throw refuse(`entry ${shown(entry.path)} is not the size its directory declares`)
  }
  return content
}

/**
 * The sha256 of each file's content (decompressed, streamed), by path: what two exports of the
 * same assets share, whatever their zip timestamps.
 */
export async function contentDigests(file: string): Promise<Map<string, string>> {
  const handle = await fs.open(file, 'r')
  const digests = new Map<string, string>()
  try {
    for (const entry of await readEntries(handle)) {
      if (entry.path.endsWith('/')) continue
      digests.set(entry.path, await digestEntry(handle, entry))
    }
    return digests
  } finally {
    await handle.close()
  }
}

async function digestEntry(handle: fsp.FileHandle, entry: Entry): Promise<string> {
  const hash = createHash('sha256')
  await pipeEntry(handle, entry, chunk => {
    hash.update(chunk)
    return Promise.resolve()
  })
  return hash.digest('hex')
}

/**
 * Streams an entry's content (decompressed) to `sink`, chunk by chunk: never inflated past its
 * declared size, and refused when it is not exactly that size. Memory stays at one chunk.
 */
export async function pipeEntry(
  handle: fsp.FileHandle,
  entry: Entry,
  sink: (chunk: Buffer) => Promise<void>
): Promise<void> {
  if (entry.method !== 0 && entry.method !== 8) {
    throw refuse(`entry ${shown(entry.path)} uses compression method ${entry.method}`)
  }
  let size = 0
  if (entry.compressedSize > 0) {
    const start = dataStart(entry)
    const raw = createReadStream('', {
      fd: handle.fd,
      start,
      end: start + entry.compressedSize - 1,
      autoClose: false
    })
    const steps: NodeJS.ReadWriteStream[] = entry.method === 8 ? [createInflateRaw()] : []
    await pipeline(raw, ...(steps as []), async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        size += chunk.length
        if (size > entry.size)
          throw refuse(`entry ${shown(entry.path)} inflates past its declared size`)
        await sink(chunk)
      }
    })
  }
  if (size !== entry.size)
    throw refuse(`entry ${shown(entry.path)} is not the size its directory declares`)
}

function shown(name: string): string {
  return JSON.stringify(name.slice(0, 80))
}
