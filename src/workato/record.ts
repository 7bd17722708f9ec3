/** Everything a run learned, grouped by step and filled in as it goes: a failed run still reports. */
import type { ChangeKind } from './changes.js'
import type { Tree } from './package-tree.js'
import type { Kept } from '../shared/artifact.js'
import type { Plan } from './plan.js'
import type { Ended } from '../shared/run.js'
import type { Config } from './inputs.js'
import type { Asset } from './inventory.js'
import type { ManifestUse } from './manifests.js'
import type { Build, Deployment, Project } from './projects.js'
import type { RecipeResult } from './results.js'
import type { TestResult } from './tests.js'

/** Where a run is; the cancellation message says what each one may leave running. */
export type Stage =
  | 'start'
  | 'preflight'
  | 'connections'
  | 'running recipes'
  | 'restart recipes'
  | 'check package'
  | 'make manifest'
  | 'export'
  | 'wait for export'
  | 'download'
  | 'keep as artifact'
  | 'make snapshot manifest'
  | 'snapshot'
  | 'wait for snapshot'
  | 'download snapshot'
  | 'keep snapshot as artifact'
  | 'plan'
  | 'read package-dir'
  | 'zip package-dir'
  | 'unpack'
  | 'drift'
  | 'import'
  | 'wait for import'
  | 'verify'
  | 'tests'
  | 'wait for tests'
  | 'rollback'
  | 'wait for rollback'
  | 'projects'
  | 'look for earlier deployments'
  | 'build'
  | 'wait for build'
  | 'download build'
  | 'keep build as artifact'
  | 'deploy'
  | 'wait for deployment'
  | 'redeploy'
  | 'wait for redeploy'
  | 'look at the environment'

export interface FileRecord {
  path: string
  sha256: string
  size: number
}

/** What one side's pre-flight learned: the workspace its token reaches, what it could not check. */
export interface SideCheck {
  workspace?: string
  /** The workspace's id as users/me gives it, and the host it was asked at. */
  workspaceId?: string
  host?: string
  /** The folder the export manifest exports, when Workato says (the source's check). */
  manifestFolder?: string
  warnings: string[]
}

/** A connection the package's recipes use, as the target holds it. */
export interface ConnectionStatus {
  name: string
  provider: string
  folder: string
  recipes: string[]
  status: 'authorized' | 'not-authorized' | 'missing'
}

/** A recipe of the target folder, as its list says. */
export interface RecipeState {
  id: string
  name: string
  running: boolean
  /** The folder its list was read from (its own folder_id when Workato gives one). */
  folderId: string
  /** Workato's stop_cause, when it is stopped and says why. */
  stopCause?: string
}

/** The package of the run: on disk, hashed, and what it holds. */
export type PackageRecord = FileRecord & { inventory?: Asset[] }

/** How a run ended, as the `outcome` output says it. */
export type Outcome =
  | 'succeeded'
  | 'failed'
  | 'timed-out'
  | 'cancelled'
  | 'unchanged'
  | 'rolled-back'
  | 'rollback-failed'

/** `failures` and `interrupted` (a cancel, the run's time limit) are written by the run frame too. */
export interface RunRecord extends Ended {
  config: Config
  stage: Stage
  /** The target already held the package unchanged, and skip-unchanged said not to import it. */
  skippedUnchanged?: boolean
  preflight?: {
    source?: SideCheck
    target?: SideCheck
    /** Both tokens reach one workspace: said in the log and the summary's headline. */
    sameWorkspace?: string
  }
  package?: PackageRecord
  /** Recipes the import stopped, and what the action did about them. */
  running?: {
    stoppedByImport: RecipeState[]
    started: RecipeState[]
    refused: Array<RecipeState & { why: string }>
  }
  connections?: {
    statuses: ConnectionStatus[]
    outside: Array<{ recipe: string; provider: string }>
  }
  /** The manifests the exports used, given or made by this run (and whether those are deleted). */
  manifests?: { export?: ManifestUse; snapshot?: ManifestUse }
  export?: { packageId: string }
  artifact?: Kept
  snapshot?: {
    packageId?: string
    /** The snapshot on disk, for a rollback, with the number of recipes and assets it holds. */
    file?: FileRecord & { recipes: number; assets: number }
    artifact?: Kept
    plan?: Plan
  }
  import?: { packageId: string; sentSha256?: string; recipes?: RecipeResult[] }
  /** The test gate (run-tests): each test asked for and its result, the run requests, coverage. */
  tests?: { results: TestResult[]; runs: string[]; coverage?: string }
  rollback?: {
    packageId?: string
    recipes: RecipeResult[]
    problem?: string
    /** Mode deploy: the build redeployed, and its deployment. */
    buildId?: string
    deploymentId?: string
  }
  /** Mode deploy: the project, its build, the deployment and what the environment holds after. */
  deploy?: DeployRecord
  /** Names of the target folder's recipes by id, from its recipe lists (for the summary). */
  recipeNames?: Map<string, string>
  /** package-dir: what it held, and what this run wrote into it or zipped from it. */
  tree?: TreeRecord
  /** What the package changes, against package-dir (unpack) or the target's snapshot. */
  changes?: { against: string; markdown: string; counts: Record<ChangeKind, number> }
  /** What the target holds that package-dir does not (with package-dir and a snapshot). */
  drift?: DriftItem[]
  /** Why a failed import was not rolled back although rollback-on-failure is on. */
  rollbackSkipped?: string
}

/** What mode deploy learned, in the order it learned it. */
export interface DeployRecord {
  /** The project in DEV. */
  project?: Project
  /** The build deployed: made by this run, given by build-id, or the one an earlier attempt deployed. */
  build?: Build & { origin: 'made' | 'given' | 'earlier attempt' }
  /** Why the build's zip does not look like a Workato package (its format is not documented). */
  notPackage?: string
  deployment?: Deployment & {
    /** Not deployed by this run: found done, or found pending and waited on. */
    earlier?: 'already deployed' | 'waited on'
  }
  /** The newest successful deployment before this one: what a rollback redeploys. */
  previous?: Deployment
  /** The TEST or PROD environment, as target-token shows it (undefined: no target-token). */
  environment?: EnvironmentLook
}

/** The project in the TEST or PROD environment, found by name, after the deployment. */
export interface EnvironmentLook {
  /** The project's folder there; undefined when the environment has no project of that name. */
  folderId?: string
  recipes?: RecipeState[]
  connections?: Array<{ name: string; application: string; folderId: string; authorized: boolean }>
  /** What kept the action from looking (a privilege, an outage): said, never a failure. */
  unread?: string
}

export function newRecord(config: Config): RunRecord {
  return { config, stage: 'start', failures: [] }
}

/** The outcome, decided in this one place from what the record holds. */
export function outcomeOf(record: RunRecord): Outcome {
  if (record.interrupted) return record.interrupted.by === 'cancel' ? 'cancelled' : 'timed-out'
  if (record.rollback) return record.rollback.problem ? 'rollback-failed' : 'rolled-back'
  if (record.failures.length > 0) return 'failed'
  return record.skippedUnchanged ? 'unchanged' : 'succeeded'
}

/** Outcomes that do not fail the job. */
export function isSuccess(outcome: Outcome): boolean {
  return outcome === 'succeeded' || outcome === 'unchanged'
}

export function failedRecipes(record: RunRecord): RecipeResult[] {
  return (record.import?.recipes ?? []).filter(r => !r.ok)
}

export interface TreeRecord {
  dir: string
  /** As read before any request (mode unpack replaces it after the export). */
  before: Tree
  /** Mode unpack: files written (new or different), removed, and left as they were. */
  unpacked?: { written: string[]; removed: string[]; unchanged: number }
  /** Import and plan: files that differ from what the index says the release held. */
  edited?: string[]
}

export interface DriftItem {
  path: string
  name: string
  kind: 'only-in-target' | 'changed-in-target'
}
