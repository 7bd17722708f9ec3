/** What the Workato action was asked to do: one Config per mode, each with exactly what its mode guarantees. */
import type { Collection } from './api/routes.js'

export type Mode = 'promote' | 'export' | 'import' | 'plan'

export interface Endpoint {
  baseUrl: string
  token: string
}

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
  manifestId: string
  folderId: string
  /** An export manifest in the target covering the target folder: its export is the snapshot. */
  snapshotManifestId?: string
}
export interface ExportConfig extends Common {
  mode: 'export'
  source: Endpoint
  manifestId: string
}
export interface ImportConfig extends Common {
  mode: 'import'
  target: Endpoint
  folderId: string
  snapshotManifestId?: string
  packageSha256?: string
}
export interface PlanConfig extends Common {
  mode: 'plan'
  source: Endpoint
  target: Endpoint
  manifestId: string
  snapshotManifestId: string
  folderId?: string
}
export type Config = PromoteConfig | ExportConfig | ImportConfig | PlanConfig

/** The modes that import into a folder of the target workspace. */
export type ImportingConfig = PromoteConfig | ImportConfig
