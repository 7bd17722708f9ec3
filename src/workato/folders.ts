/**
 * The target folder's tree, listed once per run, and Workato's paged lists, bounded in pages and
 * items. Rows are not trusted for their shape: each folder row must name the folder asked for as
 * its parent, and a folder is walked once (a list that returns nested rows, or a cycle, can
 * neither walk twice nor leave the tree).
 */
import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import { mapPool } from '../shared/pool.js'
import { oneLine } from '../shared/text.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'

/** Workato's cap for per_page; a page shorter than this is the last. */
export const PER_PAGE = 100
/** A bound on any one list: 100 pages of 100. */
const MAX_PAGES = 100
/** A bound on the tree: far past any real folder, well short of a runaway. */
export const MAX_FOLDERS = 2_000
/**
 * A bound on the tree's depth (Workato documents none): each level is one more round of calls,
 * and a chain of folders each holding only the next is how a runaway tree looks.
 */
export const MAX_DEPTH = 64
/** Reads in flight at once against one workspace: latency hidden, the quota paced. */
export const PARALLEL_READS = 4

export type Row = Record<string, unknown>

export interface Folder {
  id: string
  name: string
  parent?: string
}

export class FolderTree {
  private readonly byId = new Map<string, Folder>()

  constructor(readonly root: string) {
    this.byId.set(root, { id: root, name: '' })
  }

  /** The root first, then every folder below it. */
  get ids(): string[] {
    return [...this.byId.keys()]
  }

  get size(): number {
    return this.byId.size
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Adds a child; false when it was already there (a nested row, a cycle). */
  add(folder: Folder): boolean {
    if (this.byId.has(folder.id)) return false
    this.byId.set(folder.id, folder)
    return true
  }

  /** The folder at `relative` ("A/B") under the root, by name; undefined if absent. */
  at(relative: string): string | undefined {
    let current = this.root
    for (const name of relative.split('/').filter(Boolean)) {
      const child = [...this.byId.values()].find(f => f.parent === current && f.name === name)
      if (!child) return undefined
      current = child.id
    }
    return current
  }
}

/** Lists `root` and every folder below it, each folder's list read once, a few at a time. */
export async function listTree(client: WorkatoClient, root: string): Promise<FolderTree> {
  const tree = new FolderTree(root)
  let level = [root]
  for (let depth = 0; level.length > 0; depth++) {
    if (depth >= MAX_DEPTH) {
      throw new ActionError(
        `Folder ${root} of the target workspace has folders more than ${MAX_DEPTH} levels deep ` +
          `(folder ${level[0]} is one): the action stops listing there rather than walk an endless tree.`
      )
    }
    const children = await mapPool(level, PARALLEL_READS, parent => childrenOf(client, parent))
    const next: string[] = []
    children.forEach((rows, i) => {
      for (const row of rows) {
        const id = idOf(row.id)
        // a row that is not a child of the folder asked for (a nested listing's grandchild, say)
        // is that folder's child, and comes again when its own parent is listed
        if (!id || idOf(row.parent_id) !== level[i]) continue
        const name = typeof row.name === 'string' ? row.name : id
        if (tree.add({ id, name, parent: level[i] })) next.push(id)
      }
    })
    if (tree.size > MAX_FOLDERS) {
      throw new ActionError(
        `Folder ${root} of the target workspace holds more than ${MAX_FOLDERS} folders: the action stops ` +
          'listing there rather than walk an endless tree.'
      )
    }
    level = next
  }
  return tree
}

function childrenOf(client: WorkatoClient, parent: string): Promise<Row[]> {
  return listAll(
    client,
    page =>
      client.getList(routes.folders(parent, page), {
        call: `the list of folders in folder ${parent}`,
        notFound: `Folder ${parent} has no folder list in the target workspace`
      }),
    `the list of folders in folder ${parent}`
  )
}

/**
 * Every page of a paged list; `get` is given the page's query (page, per_page). A page shorter
 * than per_page is the last; so is one longer (the server ignores paging and sent everything) or
 * one with nothing new (the same page again). Past `maxItems` the list is an error, not a loop.
 */
export async function listAll(
  client: WorkatoClient,
  get: (page: string) => Promise<unknown[]>,
  what: string,
  maxItems = MAX_PAGES * PER_PAGE
): Promise<Row[]> {
  const all: Row[] = []
  const seen = new Set<string>()
  const unnamed: Row[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const items = rows(await get(`page=${page}&per_page=${PER_PAGE}`))
    let fresh = 0
    for (const item of items) {
      const key = idOf(item.id)
      // an id goes into paths (a start, the next listing): "555/stop" would be another call
      if (!key) {
        unnamed.push(item)
        continue
      }
      if (seen.has(key)) continue
      seen.add(key)
      all.push(item)
      fresh++
    }
    if (all.length > maxItems) {
      throw new ActionError(
        `${oneLine(what, 100)} passed ${maxItems} items; the action stops there rather than page on.`
      )
    }
    if (items.length !== PER_PAGE || fresh === 0) break
  }
  if (unnamed.length > 0) warnUnnamed(client, what, unnamed)
  return all
}

/** Lists that gave rows without a usable id, said once each, a few at most per client (a run's side). */
const unnamedWarnings = new WeakMap<WorkatoClient, number>()
const MAX_UNNAMED_WARNINGS = 3

function warnUnnamed(client: WorkatoClient, what: string, unnamed: Row[]): void {
  const said = (unnamedWarnings.get(client) ?? 0) + 1
  unnamedWarnings.set(client, said)
  if (said > MAX_UNNAMED_WARNINGS) return
  const example = oneLine(JSON.stringify(unnamed[0]?.id ?? null) ?? 'none', 40)
  core.warning(
    `${oneLine(what, 100)} gave ${unnamed.length} row${unnamed.length === 1 ? '' : 's'} whose id is not a ` +
      `positive whole number (such as ${example}): left out, as Workato data the action will not put in a request.` +
      (said === MAX_UNNAMED_WARNINGS ? ' Further lists like it are not named.' : '')
  )
}

export function rows(list: unknown[]): Row[] {
  return list.filter((r): r is Row => !!r && typeof r === 'object')
}

/** An id as Workato sends it (a positive integer, or its digits); undefined for anything else. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value)
  if (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value)) return value
  return undefined
}
