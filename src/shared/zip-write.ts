/**
 * A zip writer whose output depends on the entries' names and bytes alone, so one tree gives one
 * sha256 on every runner: no timestamps, owners or modes from the disk, entries in one order,
 * and nothing the format would let a writer choose freely (extra fields, comments, descriptors).
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import type * as fsp from 'node:fs/promises'
import { crc32 } from 'node:zlib'
// fflate rather than node:zlib for deflate: zlib's output depends on the build Node bundles
// (it has changed between Node versions, zlib-ng compresses otherwise, and some paths are
// CPU-specific), while fflate is plain JavaScript: the same bytes in give the same bytes out
// everywhere. It is pinned exactly; a test pins one zip's sha256 to notice an upgrade that
// changes its output.
import { deflateSync } from 'fflate'
import { ActionError } from './errors.js'
import type { FileFacts } from './package-file.js'

export interface ZipInput {
  /** Entry name, '/'-separated, relative; a folder's name ends with '/'. */
  name: string
  /** Absolute path of the file whose bytes become the entry's content; absent for a folder. */
  file?: string
}

export interface ZipLimits {
  /** No single file may be larger (bytes, checked on the bytes actually read). */
  maxEntryBytes: number
  /** The zip written may not be larger (bytes). */
  maxZipBytes: number
}

// 0xFFFF and 0xFFFFFFFF tell a reader to look for zip64 records, and this writer writes none
// (the project's reader refuses such an offset outright), so neither value is ever written.
const MAX_ENTRIES = 0xfffe
const MAX_32 = 0xfffffffe

const VERSION_MADE_BY = 0x0314 // Unix, so readers honour the modes below; spec 2.0
const VERSION_NEEDED = 20 // deflate and folders both need 2.0; one value for every entry
const UTF8_NAME = 1 << 11
const DOS_DATE = (0 << 9) | (1 << 5) | 1 // 1980-01-01, the earliest a zip can say; time 00:00:00
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0
const FOLDER_ATTRIBUTES = ((0o040755 << 16) | 0x10) >>> 0
const DEFLATE_LEVEL = 6

interface Planned {
  name: string
  encoded: Buffer
  file?: string
}

interface Data {
  method: 0 | 8
  crc: number
  size: number
  bytes: Buffer
}

const FOLDER_DATA: Data = { method: 0, crc: 0, size: 0, bytes: Buffer.alloc(0) }

/** Writes `entries` as a zip at `destination` (created or replaced); returns its size and sha256. */
export async function writeDeterministicZip(
  entries: ZipInput[],
  destination: string,
  limits: ZipLimits
): Promise<FileFacts> {
  const planned = plan(entries)
  const handle = await fs.open(destination, 'w')
  try {
    const out = new Output(handle, limits.maxZipBytes)
    const directory: Buffer[] = []
    for (const entry of planned) {
      const data =
        entry.file === undefined ? FOLDER_DATA : await fileData(entry, limits.maxEntryBytes)
      const offset = out.size
      await out.put(header(LOCAL, entry, data, offset))
      await out.put(data.bytes)
      directory.push(header(CENTRAL, entry, data, offset))
    }
    const directoryOffset = out.size
    const central = Buffer.concat(directory)
    await out.put(central)
    await out.put(endRecord(planned.length, central.length, directoryOffset))
    await handle.close()
    return out.facts()
  } catch (error) {
    await handle.close().catch(() => undefined)
    await fs.rm(destination, { force: true })
    throw error
  }
}

/** Every name checked and the entries in byte order, before a byte is written. */
function plan(entries: ZipInput[]): Planned[] {
  if (entries.length > MAX_ENTRIES) {
    throw new ActionError(
      `Cannot write a zip of ${entries.length} entries: at most ${MAX_ENTRIES} without zip64.`
    )
  }
  const planned = entries.map(({ name, file }) => {
    const problem = nameProblem(name, file)
    if (problem) throw refused(name, problem)
    return { name, file, encoded: Buffer.from(name, 'utf8') }
  })
  // byte order of the UTF-8, not locale order: the same on every machine
  planned.sort((a, b) => Buffer.compare(a.encoded, b.encoded))
  planned.forEach((entry, i) => {
    const next = planned[i + 1]
    if (next && next.encoded.equals(entry.encoded)) throw refused(entry.name, 'is given twice')
  })
  return planned
}

function nameProblem(name: string, file: string | undefined): string | undefined {
  if (name === '') return 'is empty'
  if (name.startsWith('/')) return 'is absolute'
  if (name.includes('\\')) return "has a '\\'"
  if (name.includes('\0')) return 'has a NUL'
  if (Buffer.from(name, 'utf8').toString('utf8') !== name) return 'is not valid Unicode'
  if (Buffer.byteLength(name, 'utf8') > 0xffff) return 'is longer than 65535 bytes'
  const folder = name.endsWith('/')
  const segments = (folder ? name.slice(0, -1) : name).split('/')
  if (segments.some(s => s === '' || s === '.' || s === '..')) {
    return "has an empty, '.' or '..' segment"
  }
  if (folder && file !== undefined) return 'is a folder (it ends with /) but has a file'
  if (!folder && file === undefined) return 'has no file (a folder name ends with /)'
  return undefined
}

/** The file read whole, then deflated unless that does not make it smaller. */
async function fileData(entry: Planned, maxEntryBytes: number): Promise<Data> {
  const content = await readWhole(entry, maxEntryBytes)
  const crc = crc32(content)
  const deflated = content.length > 0 ? deflateSync(content, { level: DEFLATE_LEVEL }) : undefined
  if (deflated && deflated.length < content.length) {
    const bytes = Buffer.from(deflated.buffer, deflated.byteOffset, deflated.length)
    return { method: 8, crc, size: content.length, bytes }
  }
  return { method: 0, crc, size: content.length, bytes: content }
}

async function readWhole(entry: Planned, maxEntryBytes: number): Promise<Buffer> {
  const file = entry.file ?? ''
  const handle = await fs.open(file, 'r')
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw refused(entry.name, `is not a regular file (${file})`)
    const size = stat.size
    const limit = Math.min(maxEntryBytes, MAX_32)
    if (size > limit) throw refused(entry.name, `is ${size} bytes (at most ${limit})`)
    // a byte more than the stat said: a file that grew since is noticed, not cut short
    const buffer = Buffer.alloc(size + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      length += bytesRead
      if (bytesRead === 0 || length === buffer.length) break
    }
    if (length > limit) throw refused(entry.name, `is more than ${limit} bytes`)
    if (length !== size) throw refused(entry.name, `changed while it was read (${file})`)
    return buffer.subarray(0, length)
  } finally {
    await handle.close()
  }
}

const LOCAL = { signature: 0x04034b50, length: 30 }
const CENTRAL = { signature: 0x02014b50, length: 46 }

/** A local (30 bytes) or central (46 bytes) header; they share their middle fields. */
function header(kind: typeof LOCAL, entry: Planned, data: Data, offset: number): Buffer {
  const central = kind === CENTRAL
  const buffer = Buffer.alloc(kind.length + entry.encoded.length)
  let at = buffer.writeUInt32LE(kind.signature, 0)
  if (central) at = buffer.writeUInt16LE(VERSION_MADE_BY, at)
  at = buffer.writeUInt16LE(VERSION_NEEDED, at)
  const ascii = entry.encoded.length === entry.name.length
  at = buffer.writeUInt16LE(ascii ? 0 : UTF8_NAME, at)
  at = buffer.writeUInt16LE(data.method, at)
  at = buffer.writeUInt16LE(0, at) // time
  at = buffer.writeUInt16LE(DOS_DATE, at)
  at = buffer.writeUInt32LE(data.crc, at)
  at = buffer.writeUInt32LE(data.bytes.length, at)
  at = buffer.writeUInt32LE(data.size, at)
  at = buffer.writeUInt16LE(entry.encoded.length, at)
  at = buffer.writeUInt16LE(0, at) // extra field length
  if (central) {
    at = buffer.writeUInt16LE(0, at) // comment length
    at = buffer.writeUInt16LE(0, at) // disk
    at = buffer.writeUInt16LE(0, at) // internal attributes
    const attributes = entry.file === undefined ? FOLDER_ATTRIBUTES : FILE_ATTRIBUTES
    at = buffer.writeUInt32LE(attributes, at)
    at = buffer.writeUInt32LE(offset, at)
  }
  entry.encoded.copy(buffer, at)
  return buffer
}

function endRecord(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const buffer = Buffer.alloc(22)
  buffer.writeUInt32LE(0x06054b50, 0)
  buffer.writeUInt16LE(entries, 8) // on this disk (disk numbers, at 4 and 6, stay 0)
  buffer.writeUInt16LE(entries, 10)
  buffer.writeUInt32LE(directorySize, 12)
  buffer.writeUInt32LE(directoryOffset, 16)
  return buffer // comment length 0
}

/** The file being written, in order, hashed as it goes and never past its limits. */
class Output {
  private readonly hash = createHash('sha256')
  size = 0

  constructor(
    private readonly handle: fsp.FileHandle,
    private readonly maxZipBytes: number
  ) {}

  async put(bytes: Buffer): Promise<void> {
    const size = this.size + bytes.length
    if (size > this.maxZipBytes) {
      throw new ActionError(
        `Cannot write the zip: it would be larger than ${this.maxZipBytes} bytes.`
      )
    }
    // every offset and size lies within the file, so this keeps them all within 32 bits
    if (size > MAX_32) throw new ActionError('Cannot write the zip: it would need zip64.')
    let done = 0
    while (done < bytes.length) {
      done += (await this.handle.write(bytes, done, bytes.length - done)).bytesWritten
    }
    this.hash.update(bytes)
    this.size = size
  }

  facts(): FileFacts {
    return { sha256: this.hash.digest('hex'), size: this.size }
  }
}

function refused(name: string, problem: string): ActionError {
  return new ActionError(`Cannot zip entry ${JSON.stringify(name.slice(0, 200))}: it ${problem}.`)
}
