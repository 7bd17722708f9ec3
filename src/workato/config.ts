/** What the Workato action was asked to do: one Config per mode, each with exactly what its mode guarantees. */
import type { Collection } from './api/routes.js'

export type Mode = 'promote' | 'export' | 'import' | 'plan' | 'deploy' | 'unpack'

export interface Endpoint {
  baseUrl: string
  token: string
}

/**
 * Where an export's assets come from: a manifest someone keeps (its id), or a folder the action
 * makes a manifest for in this run, exports and deletes (auto_generate_assets).
 */
export type ManifestSource = { manifestId: string } | { folderId: string }

/** What every mode reads. */
export interface Common {
  /** Check tokens, folder and manifests before anything is exported or imported. */
  preflight: boolean
  /** What to do about connections that will not work in the target. */
  connectionCheck: 'warn' | 'fail' | 'off'
  /** Start again what was running before the import and is not after it. */
  keepRunning: boolean
  /** Start recipes the import created. */
  startNewRecipes: boolean
  restartRecipes: boolean
  includeTags: boolean
  /** After a clean import, run the imported recipes' test cases in the target; fail on any failure. */
  runTests: boolean
  /** Test cases in the manifests the action makes (include_test_cases). */
  includeTestCases: boolean
  folderIdForHomeAssets?: string
  skipUnchanged: boolean
  /** Import the snapshot back if the import fails (only with a snapshot). */
  rollbackOnFailure: boolean
  packagePath: string
  uploadArtifact: boolean
  artifactName: string
  /** The snapshot's artifact: named after the target, so two targets in one run do not clash. */
  snapshotArtifactName: string
  retentionDays?: number
  pollIntervalSeconds: number
  waitTimeoutSeconds: number
  /** No package (download or file to import) may be larger. */
  maxPackageBytes: number
  /** Quotas Workato raised for this workspace (rate-limits): calls a minute, imports an hour. */
  rateLimits: Partial<Record<Collection, number>>
}

export interface PromoteConfig extends Common {
  mode: 'promote'
  source: Endpoint
  target: Endpoint
  /** manifest-id or source-folder-id */
  exportFrom: ManifestSource
  folderId: string
  /**
   * The snapshot of the target folder: snapshot-manifest-id (a manifest kept in the target), or
   * `snapshot: true` (one the action makes for folder-id).
   */
  snapshot?: ManifestSource
}
export interface ExportConfig extends Common {
  mode: 'export'
  source: Endpoint
  exportFrom: ManifestSource
}
/**
 * A package kept in the repository (package-dir): unpacked there file by file, or zipped from
 * there to import or plan; `drift` says what to do when the target holds what the tree does not.
 */
export interface PackageDir {
  packageDir: string
  /** The workspace the folder must stay in, links resolved (checked again on disk). */
  workspace: string
  drift: DriftCheck
}
export type DriftCheck = 'warn' | 'fail' | 'off'

/** Mode unpack: export as mode export does, then write the package's files into package-dir. */
export interface UnpackConfig extends Common {
  mode: 'unpack'
  source: Endpoint
  exportFrom: ManifestSource
  tree: PackageDir
}
export interface ImportConfig extends Common {
  mode: 'import'
  target: Endpoint
  folderId: string
  snapshot?: ManifestSource
  packageSha256?: string
  /** Zip this tree (deterministically) and import that, instead of package-path's zip. */
  tree?: PackageDir
}
/** Mode plan: the export (exportFrom) or the reviewed tree (tree) against the target's snapshot. */
export type PlanConfig = PlanCommon &
  ({ source: Endpoint; exportFrom: ManifestSource; tree?: undefined } | { tree: PackageDir })
interface PlanCommon extends Common {
  mode: 'plan'
  target: Endpoint
  snapshot: ManifestSource
  folderId?: string
}
/**
 * Workato Environments: a project built in DEV (source-token) and that build deployed to TEST or
 * PROD; the environment's own token (target-token), when given, only looks at the result.
 */
export interface DeployConfig extends Common {
  mode: 'deploy'
  source: Endpoint
  target?: Endpoint
  /** project-id, or project-folder-id (sent as f<id>) */
  project: ProjectRef
  environmentType: EnvironmentType
  /** Deploy this build (the first job's build-id output) instead of building. */
  buildId?: string
}
export type ProjectRef = { projectId: string } | { folderId: string }
export type EnvironmentType = 'test' | 'prod'

export type Config =
  PromoteConfig | ExportConfig | ImportConfig | PlanConfig | DeployConfig | UnpackConfig

/** The modes that import into a folder of the target workspace. */
export type ImportingConfig = PromoteConfig | ImportConfig
