/** Workato's folder tree and paged lists, as the steps that look inside a target folder read them. */
import type { WorkatoClient } from './client.js'

/** Workato's cap for per_page; a page shorter than this is the last. */
export const PER_PAGE = 100
/** A bound on any one list: 100 pages of 100. */
const MAX_PAGES = 100

export type Row = Record<string, unknown>

/** The folder at `relative` ("A/B") under `root`, through the folder lists; undefined if absent. */
export async function folderAt(
  client: WorkatoClient,
  root: string,
  relative: string
): Promise<string | undefined> {
  let current = root
  for (const name of relative.split('/').filter(Boolean)) {
    const child = (await childrenOf(client, current)).find(f => f.name === name)
    if (!child) return undefined
    current = String(child.id)
  }
  return current
}

/** `root` and every folder below it. */
export async function folderTree(client: WorkatoClient, root: string): Promise<string[]> {
  const tree = [root]
  for (let i = 0; i < tree.length && tree.length < 10_000; i++) {
    for (const child of await childrenOf(client, tree[i])) tree.push(String(child.id))
  }
  return tree
}

function childrenOf(client: WorkatoClient, parent: string): Promise<Row[]> {
  return listAll(page =>
    client.getList(`/api/folders?parent_id=${parent}&${page}`, {
      call: `the list of folders in folder ${parent}`,
      notFound: `Folder ${parent} has no folder list in the target workspace`
    })
  )
}

/** Every page of a paged list; `get` is given the page's query (page, per_page). */
export async function listAll(get: (page: string) => Promise<unknown[]>): Promise<Row[]> {
  const all: Row[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const items = rows(await get(`page=${page}&per_page=${PER_PAGE}`))
    all.push(...items)
    if (items.length < PER_PAGE) break
  }
  return all
}

export function rows(list: unknown[]): Row[] {
  return list.filter((r): r is Row => !!r && typeof r === 'object')
}
