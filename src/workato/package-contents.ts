/**
 * A package's files in memory, for the comparison (changes.ts): from a zip or from package-dir.
 * Bounded: a file larger than RECIPE_BYTES, or any file once CONTENT_BYTES are held, is stood in
 * for by its sha256, so it is compared by its bytes alone and memory stays bounded.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { hashFile } from '../shared/package-file.js'
import { pipeEntry, readEntries, readSmallEntry } from '../shared/zip.js'
import { beforeImport, RECIPE_BYTES } from './inventory.js'
import type { TreeFile } from './package-tree.js'

/** At most this much content is held for one side of a comparison. */
export const CONTENT_BYTES = 256 * 1024 * 1024

/**
 * What stands in for a file too large to hold: not JSON, so the comparison digests it as bytes,
 * and equal for two files exactly when their sha256 is.
 */
export function standIn(sha256: string): Buffer {
  return Buffer.from(`\0workato-promote: a large file, sha256 ${sha256}`)
}

/** Each file of a zip (folder entries left out), by its entry name, with its bytes' sha256. */
export function zipContents(file: string): Promise<Contents> {
  return beforeImport(readZipContents(file))
}

export interface Contents {
  contents: Map<string, Buffer>
  sha256: Map<string, string>
}

async function readZipContents(file: string): Promise<Contents> {
  const handle = await fs.open(file, 'r')
  const contents = new Map<string, Buffer>()
  const sha256 = new Map<string, string>()
  let held = 0
  try {
    for (const entry of await readEntries(handle)) {
      if (entry.path.endsWith('/')) continue
      if (entry.size <= RECIPE_BYTES && held + entry.size <= CONTENT_BYTES) {
        held += entry.size
        const bytes = await readSmallEntry(handle, entry)
        contents.set(entry.path, bytes)
        sha256.set(entry.path, createHash('sha256').update(bytes).digest('hex'))
        continue
      }
      const hash = createHash('sha256')
      await pipeEntry(handle, entry, chunk => {
        hash.update(chunk)
        return Promise.resolve()
      })
      const digest = hash.digest('hex')
      contents.set(entry.path, standIn(digest))
      sha256.set(entry.path, digest)
    }
    return { contents, sha256 }
  } finally {
    await handle.close()
  }
}

/** Each file of package-dir, by the entry name it has in the zip, with its bytes' sha256. */
export async function treeContents(files: TreeFile[]): Promise<Contents> {
  const contents = new Map<string, Buffer>()
  const sha256 = new Map<string, string>()
  let held = 0
  for (const file of files) {
    if (file.size <= RECIPE_BYTES && held + file.size <= CONTENT_BYTES) {
      const bytes = await fs.readFile(file.abs)
      held += bytes.length
      contents.set(file.name, bytes)
      sha256.set(file.name, createHash('sha256').update(bytes).digest('hex'))
      continue
    }
    const { sha256: digest } = await hashFile(file.abs)
    contents.set(file.name, standIn(digest))
    sha256.set(file.name, digest)
  }
  return { contents, sha256 }
}
