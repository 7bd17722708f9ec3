import { createHash } from 'node:crypto'
import { createReadStream, promises as fs } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import * as path from 'node:path'
import { createInflateRaw, inflateRawSync } from 'node:zlib'
import { ActionError } from './shared/errors.js'
import { locateDirectory } from './shared/package-file.js'

/** One asset of a package, as the `inventory` output lists it. */
export interface Asset {
  path: string
  type: string
  name: string
}

/**
 * Limits that keep a hostile zip from exhausting the runner: the inventory reads only the
 * central directory and the recipe files, never extracts to disk, and refuses past these.
 */
export const LIMITS = {
  entries: 10_000,
  directoryBytes: 16 * 1024 * 1024,
  totalUncompressed: 2 * 1024 * 1024 * 1024,
  recipeBytes: 8 * 1024 * 1024
}

const CENTRAL_HEADER = 0x02014b50
const LOCAL_HEADER = 0x04034b50

/** Types by file name, as Workato names its exports (`<name>.<type>.json`). */
export function assetType(entryPath: string): string {
  const base = path.posix.basename(entryPath)
  if (base.endsWith('.rb') || base.endsWith('.png')) return 'custom_connector_file'
  const m = base.match(/\.([a-z_]+)\.json$/)
  if (!m) return base.endsWith('.json') ? 'json' : 'other'
  if (m[1] === 'custom_adapter') return 'custom_connector'
  if (m[1] === 'project_properties') return 'properties'
  return m[1]
}

interface Entry {
  path: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
  nameLength: number
}

/** Lists a package's assets from its central directory, with recipe names from their JSON. */
export async function inventory(file: string): Promise<Asset[]> {
  const handle = await fs.open(file, 'r')
  try {
    const assets: Asset[] = []
    for (const entry of await readEntries(handle)) {
      if (entry.path.endsWith('/')) continue
      const type = assetType(entry.path)
      const fallback = path.posix.basename(entry.path).replace(/(\.[a-z_]+)?\.(json|rb|png)$/, '')
      const name = type === 'recipe' ? ((await recipeName(handle, entry)) ?? fallback) : fallback
      assets.push({ path: entry.path, type, name })
    }
    return assets
  } finally {
    await handle.close()
  }
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
      const header = Buffer.alloc(30)
      await handle.read(header, 0, 30, entry.localOffset)
      if (header.readUInt32LE(0) !== LOCAL_HEADER) throw refuse(`entry ${entry.path} is damaged`)
      const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
      const hash = createHash('sha256')
      const raw = createReadStream('', {
        fd: handle.fd,
        start,
        end: start + entry.compressedSize - 1,
        autoClose: false
      })
      const steps: NodeJS.ReadWriteStream[] = []
      if (entry.method === 8) steps.push(createInflateRaw())
      else if (entry.method !== 0)
        throw refuse(`entry ${entry.path} uses compression method ${entry.method}`)
      let size = 0
      if (entry.compressedSize > 0) {
        await pipeline(raw, ...(steps as []), async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length
            if (size > entry.size)
              throw refuse(`entry ${entry.path} inflates past its declared size`)
            hash.update(chunk)
          }
        })
      }
      if (size !== entry.size)
        throw refuse(`entry ${entry.path} is not the size its directory declares`)
      digests.set(entry.path, hash.digest('hex'))
    }
    return digests
  } finally {
    await handle.close()
  }
}

/** The central directory's entries, after every limit has been checked. */
async function readEntries(handle: fs.FileHandle): Promise<Entry[]> {
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
  checkLayout(entries, found.offset)
  const total = entries.reduce((sum, e) => sum + e.size, 0)
  if (total > LIMITS.totalUncompressed) {
    throw refuse(
      `its entries declare ${total} bytes uncompressed (at most ${LIMITS.totalUncompressed})`
    )
  }
  return entries
}

/** Counts per type, most common first. */
export function countByType(assets: Asset[]): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const a of assets) counts.set(a.type, (counts.get(a.type) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
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
      throw refuse(
        `it has an entry named ${JSON.stringify(entryPath.slice(0, 80))}, which escapes its folder`
      )
    }
    entries.push({
      path: entryPath,
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      localOffset: directory.readUInt32LE(at + 42),
      nameLength
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/**
 * Every entry's data lies in a place of its own, before the directory, under a name of its own.
 * Entries that share their data (a zip bomb's trick: one deflated block listed a thousand times)
 * or share a name (the plan would compare one and import the other) are refused.
 */
function checkLayout(entries: Entry[], directoryOffset: number): void {
  const names = new Set<string>()
  for (const entry of entries) {
    if (names.has(entry.path))
      throw refuse(`it has two entries named ${JSON.stringify(entry.path.slice(0, 80))}`)
    names.add(entry.path)
  }
  // local header (30 bytes) + name + data: a lower bound of each entry's span
  const spans = entries
    .map(e => ({
      path: e.path,
      start: e.localOffset,
      end: e.localOffset + 30 + e.nameLength + e.compressedSize
    }))
    .sort((a, b) => a.start - b.start)
  for (let i = 0; i < spans.length; i++) {
    const next = spans[i + 1]
    if (next && next.start < spans[i].end) {
      throw refuse(
        `entries ${JSON.stringify(spans[i].path.slice(0, 80))} and ${JSON.stringify(next.path.slice(0, 80))} overlap`
      )
    }
    if (spans[i].end > directoryOffset) {
      throw refuse(
        `entry ${JSON.stringify(spans[i].path.slice(0, 80))} runs into the central directory`
      )
    }
  }
}

/** The recipe's `name`, read from its (small, capped) JSON; undefined if it cannot be read. */
async function recipeName(handle: fs.FileHandle, entry: Entry): Promise<string | undefined> {
  if (entry.compressedSize > LIMITS.recipeBytes || entry.size > LIMITS.recipeBytes) return undefined
  const header = Buffer.alloc(30)
  await handle.read(header, 0, 30, entry.localOffset)
  if (header.readUInt32LE(0) !== LOCAL_HEADER) return undefined
  const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  const data = Buffer.alloc(entry.compressedSize)
  await handle.read(data, 0, entry.compressedSize, start)
  let text: Buffer | undefined
  try {
    // never more than the entry declares: inflating past it is what a zip bomb counts on
    text =
      entry.method === 8
        ? inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) })
        : entry.method === 0
          ? data
          : undefined
  } catch {
    throw refuse(
      `entry ${JSON.stringify(entry.path.slice(0, 80))} inflates past its declared size or is damaged`
    )
  }
  if (text && text.length !== entry.size) {
    throw refuse(
      `entry ${JSON.stringify(entry.path.slice(0, 80))} is not the size its directory declares`
    )
  }
  try {
    const name = text ? (JSON.parse(text.toString('utf8')) as { name?: unknown }).name : undefined
    return typeof name === 'string' ? name : undefined
  } catch {
    return undefined
  }
}

function refuse(problem: string): ActionError {
  return new ActionError(`The package cannot be listed safely: ${problem}. Nothing was imported.`)
}
