/**
 * Every Workato endpoint the action calls, each with the quota collection Workato counts it in
 * (../shared/workato-api.md, "Rules of the road") and whether it is a write. Nothing else in the
 * action spells an API path.
 */
import type { Quota } from '../../shared/http/budget.js'

export type Collection =
  'packages' | 'imports' | 'recipes' | 'connections' | 'workspace' | 'folders' | 'tests'

export const COLLECTIONS: readonly Collection[] = [
  'packages',
  'imports',
  'recipes',
  'connections',
  'workspace',
  'folders',
  'tests'
]

/**
 * Workato's default quotas. Whether they count per API client or per workspace is not
 * documented. The budgets are per host and token: one run's source and target on one workspace
 * with two tokens would, counted per workspace, share one quota and could pass it together (the
 * margin below covers a little of that, not all). Projects & folders is not in the stored docs:
 * the 60 a minute of its neighbours is assumed.
 */
export const DOCUMENTED_QUOTAS: Readonly<
  Record<Collection, { limit: number; per: 'minute' | 'hour' }>
> = {
  packages: { limit: 60, per: 'minute' },
  imports: { limit: 500, per: 'hour' },
  recipes: { limit: 60, per: 'minute' },
  connections: { limit: 60, per: 'minute' },
  workspace: { limit: 60, per: 'minute' },
  folders: { limit: 60, per: 'minute' },
  /** Test Automation: list test cases, run them, read a run (../shared/workato-api.md). */
  tests: { limit: 60, per: 'minute' }
}

/** What the action spends of a quota: a tenth is left for clocks that disagree and for other clients. */
export const QUOTA_SHARE = 0.9

/** The budget for one collection, from its quota (documented or raised by rate-limits). */
export function budgetQuota(
  collection: Collection,
  limits: Partial<Record<Collection, number>>,
  minuteMs: number
): Quota {
  const documented = DOCUMENTED_QUOTAS[collection]
  const limit = limits[collection] ?? documented.limit
  return {
    limit: Math.max(1, Math.floor(limit * QUOTA_SHARE)),
    windowMs: documented.per === 'hour' ? minuteMs * 60 : minuteMs
  }
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  collection: Collection
  /** Not idempotent: sent again only when the answer proves Workato did not act on it. */
  write: boolean
}

const get = (path: string, collection: Collection): Route => ({
  method: 'GET',
  path,
  collection,
  write: false
})

/** `page` is a paged list's query ("page=2&per_page=100"). */
export const routes = {
  me: (): Route => get('/api/users/me', 'workspace'),
  folder: (id: string): Route => get(`/api/folders/${id}`, 'folders'),
  manifest: (id: string): Route => get(`/api/export_manifests/${id}`, 'packages'),
  /** A folder's assets as a manifest would list them (the RLCM quota, like every manifest call). */
  folderAssets: (folderId: string): Route =>
    get(`/api/export_manifests/folder_assets?folder_id=${folderId}`, 'packages'),
  createManifest: (): Route => ({
    method: 'POST',
    path: '/api/export_manifests',
    collection: 'packages',
    write: true
  }),
  /** Idempotent: a second delete of a deleted manifest does no harm, so it may be resent. */
  deleteManifest: (id: string): Route => ({
    method: 'DELETE',
    path: `/api/export_manifests/${id}`,
    collection: 'packages',
    write: false
  }),
  folders: (parent: string, page: string): Route =>
    get(`/api/folders?parent_id=${parent}&${page}`, 'folders'),
  /** Without each recipe's code: a page of 100 with code is megabytes (the spec's own advice). */
  recipes: (folder: string, page: string): Route =>
    get(`/api/recipes?folder_id=${folder}&exclude_code=true&${page}`, 'recipes'),
  /** Workato documents no paging here; its Go CLI sends page/per_page: paged defensively. */
  connections: (folder: string, page: string): Route =>
    get(`/api/connections?folder_id=${folder}&${page}`, 'connections'),
  startRecipe: (id: string): Route => ({
    method: 'PUT',
    path: `/api/recipes/${id}/start`,
    collection: 'recipes',
    write: true
  }),
  exportPackage: (manifestId: string): Route => ({
    method: 'POST',
    path: `/api/packages/export/${manifestId}`,
    collection: 'packages',
    write: true
  }),
  importPackage: (folderId: string, query: URLSearchParams): Route => ({
    method: 'POST',
    path: `/api/packages/import/${folderId}?${query.toString()}`,
    collection: 'imports',
    write: true
  }),
  packageStatus: (id: string): Route => get(`/api/packages/${id}`, 'packages'),
  testCases: (recipeId: string): Route => get(`/api/recipes/${recipeId}/test_cases`, 'tests'),
  runTests: (): Route => ({
    method: 'POST',
    path: '/api/test_cases/run_requests',
    collection: 'tests',
    write: true
  }),
  testRun: (id: string): Route => get(`/api/test_cases/run_requests/${id}`, 'tests'),
  download: (id: string): Route => get(`/api/packages/${id}/download`, 'packages'),
  // Environments' Projects API (../shared/workato-api.md): in "Projects & folders", whose quota
  // the docs excerpts leave out; counted with the folders, so the two never pass it together.
  projects: (page: string): Route => get(`/api/projects?${page}`, 'folders'),
  /** `project` is a project id or `f<folder id>`, the two forms Workato accepts. */
  buildProject: (project: string): Route => ({
    method: 'POST',
    path: `/api/projects/${project}/build`,
    collection: 'folders',
    write: true
  }),
  build: (id: string): Route => get(`/api/project_builds/${id}`, 'folders'),
  deployBuild: (id: string, environment: string): Route => ({
    method: 'POST',
    path: `/api/project_builds/${id}/deploy?environment_type=${environment}`,
    collection: 'folders',
    write: true
  }),
  deployment: (id: string): Route => get(`/api/deployments/${id}`, 'folders'),
  deployments: (query: URLSearchParams): Route =>
    get(`/api/deployments?${query.toString()}`, 'folders')
}
