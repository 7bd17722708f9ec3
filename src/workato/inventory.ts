/** What a Workato package holds, by asset type, read from the zip's directory (never extracted). */
import { promises as fs } from 'node:fs'
import type * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { ActionError } from '../shared/errors.js'
import { readEntries, readSmallEntry, UnsafeZip, type Entry } from '../shared/zip.js'

/** One asset of a package, as the `inventory` output lists it. */
export interface Asset {
  path: string
  type: string
  name: string
}

/** A recipe larger than this is listed by its file name: its JSON is not read. */
export const RECIPE_BYTES = 8 * 1024 * 1024

/** Types by file name, as Workato names its exports (`<name>.<type>.json`). */
export function assetType(entryPath: string): string {
  const base = path.posix.basename(entryPath)
  if (base.endsWith('.rb') || base.endsWith('.png')) return 'custom_connector_file'
  const m = base.match(/\.([a-z_]+)\.json$/)
  const kind = m?.[1]
  if (!kind) return base.endsWith('.json') ? 'json' : 'other'
  if (kind === 'custom_adapter') return 'custom_connector'
  if (kind === 'project_properties') return 'properties'
  return kind
}

/**
 * A package the zip reader refuses is read before any import, so the run stops with nothing
 * imported: said in the error, as the user's first question is what happened to the target.
 */
export async function beforeImport<T>(read: Promise<T>): Promise<T> {
  return read.catch((error: unknown) => {
    throw error instanceof UnsafeZip
      ? new ActionError(`${error.message} Nothing was imported.`)
      : error
  })
}

/** Lists a package's assets from its central directory, with recipe names from their JSON. */
export function inventory(file: string): Promise<Asset[]> {
  return beforeImport(listAssets(file))
}

async function listAssets(file: string): Promise<Asset[]> {
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

/** Counts per type, most common first. */
export function countByType(assets: Asset[]): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const a of assets) counts.set(a.type, (counts.get(a.type) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

export function recipeCount(assets: Asset[]): number {
  return assets.filter(a => a.type === 'recipe').length
}

/** The recipe's `name` from its (capped) JSON; undefined when it is too large or not JSON. */
async function recipeName(handle: fsp.FileHandle, entry: Entry): Promise<string | undefined> {
  if (entry.compressedSize > RECIPE_BYTES || entry.size > RECIPE_BYTES) return undefined
  const content = await readSmallEntry(handle, entry)
  try {
    const name = (JSON.parse(content.toString('utf8')) as { name?: unknown }).name
    return typeof name === 'string' ? name : undefined
  } catch {
    return undefined
  }
}
