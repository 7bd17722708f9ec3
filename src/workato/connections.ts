/**
 * Which connections a package's recipes use, read from each recipe's `config[]` (never
 * extracted, with the inventory's limits): `account_id` names a connection in the package
 * ({zip_name, name, folder}, folder relative to the package root), or is null for built-in apps
 * and for connections the export manifest left out.
 */
import { promises as fs } from 'node:fs'
import { readEntries, readSmallEntry } from '../shared/zip.js'
import { beforeImport, RECIPE_BYTES } from './inventory.js'

export interface UsedConnection {
  name: string
  provider: string
  /** Relative to the import folder; "" for the folder itself. */
  folder: string
  recipes: string[]
  /**
   * A custom (SDK) connector's connection: `provider` is the connector's name in the source
   * workspace, and the target's copy has another, so it is found by name and folder alone.
   */
  custom: boolean
}

export interface PackageConnections {
  used: UsedConnection[]
  /** Recipes that use a real connector whose connection is not in the package. */
  outside: Array<{ recipe: string; provider: string }>
}

/** Apps that need no connection (Workato's docs list these with account_id null). */
const BUILT_IN = new Set([
  'clock',
  'logger',
  'workato_recipe_function',
  'workato_variable',
  'workato_list',
  'workato_api_platform'
])

export function connectionsUsed(file: string): Promise<PackageConnections> {
  return beforeImport(readConnections(file))
}

async function readConnections(file: string): Promise<PackageConnections> {
  const handle = await fs.open(file, 'r')
  const used = new Map<string, UsedConnection>()
  const outside: PackageConnections['outside'] = []
  try {
    for (const entry of await readEntries(handle)) {
      if (!entry.path.endsWith('.recipe.json') || entry.size > RECIPE_BYTES) continue
      const recipe = parse((await readSmallEntry(handle, entry)).toString('utf8'))
      const name = typeof recipe?.name === 'string' ? recipe.name : entry.path
      for (const app of Array.isArray(recipe?.config) ? recipe.config : []) {
        const { provider, account_id: account } = (app ?? {}) as Record<string, unknown>
        if (typeof provider !== 'string') continue
        if (!account || typeof account !== 'object') {
          if (!BUILT_IN.has(provider) && !provider.startsWith('workato_'))
            outside.push({ recipe: name, provider })
          continue
        }
        const { name: conn, folder, custom } = account as Record<string, unknown>
        if (typeof conn !== 'string') continue
        const where = typeof folder === 'string' ? folder : ''
        const key = JSON.stringify([conn, provider, where])
        const found = used.get(key) ?? {
          name: conn,
          provider,
          folder: where,
          recipes: [],
          custom: custom === true
        }
        if (!found.recipes.includes(name)) found.recipes.push(name)
        used.set(key, found)
      }
    }
    return { used: [...used.values()], outside }
  } finally {
    await handle.close()
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
