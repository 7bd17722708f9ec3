/**
 * The Workato action's inputs: each read once, then the rules that involve several of them.
 * The result is a Config per mode, so each step gets exactly the fields its mode guarantees.
 */
import * as os from 'node:os'
import * as path from 'node:path'
import { InputReader, leavesBase, need } from '../shared/inputs.js'
import { oneLine } from '../shared/text.js'
import type {
  Common,
  Config,
  DeployConfig,
  DriftCheck,
  Endpoint,
  EnvironmentType,
  ManifestSource,
  Mode,
  PackageDir,
  ProjectRef
} from './config.js'
import { COLLECTIONS, type Collection } from './api/routes.js'
import { resolveHost } from './hosts.js'

export type {
  Common,
  Config,
  DeployConfig,
  DriftCheck,
  Endpoint,
  EnvironmentType,
  ExportConfig,
  ImportConfig,
  ImportingConfig,
  ManifestSource,
  Mode,
  PackageDir,
  PlanConfig,
  ProjectRef,
  PromoteConfig,
  UnpackConfig
} from './config.js'

/**
 * Defaults, and why:
 * - poll-interval 10 s: after the first minute a job is checked 6 times a minute, a tenth of
 *   Workato's 60 requests/minute, and completion is seen at most 10 s late.
 * - wait-timeout 1800 s: large imports take minutes and Workato asks for room between them;
 *   30 minutes covers that without holding a runner for GitHub's 6-hour job limit.
 * - max-package-mb 1024: ten times Workato's documented 100 MB import limit, and a bound on disk.
 */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 1800
export const DEFAULT_MAX_PACKAGE_MB = 1024

/**
 * Every input action.yml declares, in its order; any other INPUT_* variable is a mistake. Kept
 * here, with a test holding it equal to action.yml, so the bundle needs nothing outside dist/
 * (nor a YAML parser) to know them.
 */
export const INPUTS = [
  'mode',
  'source-host',
  'source-token',
  'target-host',
  'target-token',
  'manifest-id',
  'source-folder-id',
  'folder-id',
  'project-id',
  'project-folder-id',
  'environment-type',
  'build-id',
  'preflight',
  'connection-check',
  'keep-running',
  'start-new-recipes',
  'restart-recipes',
  'include-tags',
  'include-test-cases',
  'run-tests',
  'folder-id-for-home-assets',
  'snapshot',
  'snapshot-manifest-id',
  'skip-unchanged',
  'rollback-on-failure',
  'package-path',
  'package-dir',
  'drift',
  'package-sha256',
  'upload-artifact',
  'artifact-name',
  'retention-days',
  'max-package-mb',
  'poll-interval',
  'wait-timeout',
  'rate-limits'
] as const
export const SECRET_INPUTS = ['source-token', 'target-token'] as const satisfies readonly Input[]
/** The reader takes only these names: code cannot read an input the runner never passes. */
type Input = (typeof INPUTS)[number]

const MODES: readonly Mode[] = ['promote', 'export', 'import', 'plan', 'deploy', 'unpack']
const ENVIRONMENT_TYPES: readonly EnvironmentType[] = ['test', 'prod']
/** Inputs of mode deploy alone: anywhere else they are a mistake, not something to ignore. */
const DEPLOY_INPUTS = ['project-id', 'project-folder-id', 'environment-type', 'build-id'] as const
/**
 * Inputs mode deploy has no use for, with the default the runner passes for each: any other
 * value was set on purpose and would silently do nothing.
 */
const NOT_IN_DEPLOY: ReadonlyArray<[Input, string, string]> = [
  ['manifest-id', '', 'a deployment deploys a project build, not an export manifest'],
  ['source-folder-id', '', 'give the project with project-id or project-folder-id'],
  ['folder-id', '', "a deployment goes to the project's own folder in the environment"],
  ['folder-id-for-home-assets', '', 'nothing is imported into a folder'],
  ['snapshot', 'false', 'a failed deployment is rolled back by redeploying the last good build'],
  [
    'snapshot-manifest-id',
    '',
    'a failed deployment is rolled back by redeploying the last good build'
  ],
  ['skip-unchanged', 'true', 'a re-run that finds its build already deployed deploys nothing'],
  ['start-new-recipes', 'false', 'only recipes that ran before the deployment are started again'],
  ['restart-recipes', 'false', 'Workato decides what a deployment restarts'],
  ['include-tags', 'false', 'a build carries what the project holds'],
  ['run-tests', 'false', 'the test gate runs after imports (modes promote and import)'],
  ['package-sha256', '', 'the build is made by Workato; its sha256 is an output'],
  ['package-dir', '', 'a deployment deploys a build Workato makes, not a folder of the repository'],
  ['drift', 'warn', 'drift is checked against package-dir, in modes import and plan']
]
const CONNECTION_CHECKS = ['warn', 'fail', 'off'] as const
const DRIFT_CHECKS: readonly DriftCheck[] = ['warn', 'fail', 'off']
const MB = 1024 * 1024

/** Parses and checks every input at once, so all mistakes are reported before any request. */
export function parseInputs(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv = process.env
): Config {
  const inputs = new InputReader<Input>(get)
  const mode = inputs.choice('mode', MODES, 'promote')
  if (mode === 'deploy') return parseDeploy(inputs, env)
  for (const name of DEPLOY_INPUTS) {
    if (inputs.text(name)) inputs.fail(name, `is used in mode deploy only (mode is ${mode ?? '?'})`)
  }
  const given = readPackageDir(inputs, mode, env)
  // a package-dir refused for its text still says the package is a folder: no other error follows
  const fromTree = given !== undefined
  const tree = given === 'refused' ? undefined : given
  // plan from package-dir compares the reviewed tree: nothing is exported
  const exporting =
    mode === 'promote' || mode === 'export' || mode === 'unpack' || (mode === 'plan' && !fromTree)
  const importing = mode === 'promote' || mode === 'import'
  const needed = `in mode ${mode}`
  // plan reads the target (its snapshot) without importing into it
  const source = endpoint(inputs, 'source', exporting ? needed : undefined)
  const target = endpoint(inputs, 'target', importing || mode === 'plan' ? needed : undefined)
  const exportFrom = readExportSource(inputs, mode, exporting, fromTree)
  const manifestId = exportFrom && 'manifestId' in exportFrom ? exportFrom.manifestId : undefined
  const sourceFolderId = exportFrom && 'folderId' in exportFrom ? exportFrom.folderId : undefined
  const folderId = inputs.id('folder-id', importing ? needed : undefined)
  const snapshot = readSnapshot(inputs, mode, folderId)
  const snapshotManifestId = snapshot && 'manifestId' in snapshot ? snapshot.manifestId : undefined
  const common = readCommon(inputs, {
    mode,
    manifestId,
    sourceFolderId,
    folderId,
    snapshotManifestId,
    hasSnapshot: snapshot !== undefined,
    env,
    fromTree
  })
  if (tree && tree.drift !== 'warn' && !snapshot && mode === 'import') {
    inputs.fail(
      'drift',
      'needs a snapshot of the target (snapshot: true, or snapshot-manifest-id): drift is what the ' +
        'snapshot holds that package-dir does not'
    )
  }
  const packageSha256 = readSha256(inputs, mode)
  if (common.rollbackOnFailure && !snapshot && importing) {
    inputs.fail(
      'rollback-on-failure',
      'needs a snapshot (snapshot: true, or snapshot-manifest-id): the snapshot is what is restored'
    )
  }
  if (common.includeTestCases && !sourceFolderId && !(snapshot && 'folderId' in snapshot)) {
    inputs.fail(
      'include-test-cases',
      'applies to the manifests this action makes (source-folder-id, snapshot: true); a manifest ' +
        'given by manifest-id holds test cases when it was made with them'
    )
  }
  inputs.check()
  switch (mode) {
    case 'export':
      return { ...common, mode, source: need(source), exportFrom: need(exportFrom) }
    case 'unpack':
      return {
        ...common,
        mode,
        source: need(source),
        exportFrom: need(exportFrom),
        tree: need(tree)
      }
    case 'import':
      return {
        ...common,
        mode,
        target: need(target),
        folderId: need(folderId),
        snapshot,
        packageSha256,
        tree
      }
    case 'plan': {
      const plan = { ...common, mode, target: need(target), snapshot: need(snapshot), folderId }
      return tree
        ? { ...plan, tree }
        : { ...plan, source: need(source), exportFrom: need(exportFrom) }
    }
    default:
      return {
        ...common,
        mode: 'promote',
        source: need(source),
        target: need(target),
        exportFrom: need(exportFrom),
        folderId: need(folderId),
        snapshot
      }
  }
}

/**
 * Mode deploy: a project of the DEV environment (source-token), built and deployed to TEST or
 * PROD; target-token, optional, is that environment's token and only looks.
 */
function parseDeploy(inputs: InputReader<Input>, env: NodeJS.ProcessEnv): DeployConfig {
  const needed = 'in mode deploy'
  const source = endpoint(inputs, 'source', needed)
  const target = environmentEndpoint(inputs, source)
  const project = readProject(inputs)
  const environmentType = readEnvironmentType(inputs)
  const buildId = inputs.id('build-id')
  for (const [name, fallback, why] of NOT_IN_DEPLOY) {
    const text = inputs.text(name)
    if (text && text.toLowerCase() !== fallback) {
      inputs.fail(name, `is not used in mode deploy: ${why}; remove it`)
    }
  }
  const projectText = project
    ? 'projectId' in project
      ? `project-${project.projectId}`
      : `folder-${project.folderId}`
    : 'project'
  const common = readCommon(inputs, {
    mode: 'deploy',
    hasSnapshot: false,
    env,
    artifactDefault: `workato-build-${projectText}-${environmentType ?? 'env'}`
  })
  if (common.includeTestCases && buildId) {
    inputs.fail(
      'include-test-cases',
      'applies to a build this action makes; build-id names a build made already'
    )
  }
  inputs.check()
  return {
    ...common,
    mode: 'deploy',
    source: need(source),
    target,
    project: need(project),
    environmentType: need(environmentType),
    buildId
  }
}

/**
 * The TEST or PROD environment's token, when given. An environment is part of the workspace
 * source-host names, so its host is that one: a target-host other than the runner's default
 * would be a second workspace, which a deployment cannot reach.
 */
function environmentEndpoint(
  inputs: InputReader<Input>,
  source: Endpoint | undefined
): Endpoint | undefined {
  const hostText = inputs.text('target-host')
  if (hostText && hostText.toLowerCase() !== 'us') {
    const host = resolveHost(hostText)
    const sourceHost = resolveHost(inputs.text('source-host') || 'us')
    if (!('url' in host) || !('url' in sourceHost) || host.url !== sourceHost.url) {
      inputs.fail(
        'target-host',
        'is not used in mode deploy: the environments are one workspace, reached at source-host; ' +
          'target-token is the TEST or PROD environment’s token there'
      )
    }
  }
  const token = inputs.secret('target-token', undefined)
  return token && source ? { baseUrl: source.baseUrl, token } : undefined
}

/** project-id or project-folder-id (its id, or f<id> as Workato writes it): exactly one. */
function readProject(inputs: InputReader<Input>): ProjectRef | undefined {
  const folderText = inputs.text('project-folder-id')
  let folderId: string | undefined
  if (folderText) {
    const m = folderText.match(/^f?([1-9][0-9]{0,15})$/i)
    if (m?.[1] && Number.isSafeInteger(Number(m[1]))) folderId = m[1]
    else
      inputs.fail(
        'project-folder-id',
        `must be a folder id, 123 or f123 (got "${oneLine(folderText, 40)}")`
      )
  }
  const projectId = inputs.id('project-id')
  if (projectId && folderText) {
    inputs.fail(
      'project-folder-id',
      'and project-id are both set: give one, the project (project-id) or its folder (project-folder-id)'
    )
    return undefined
  }
  if (projectId) return { projectId }
  if (folderId) return { folderId }
  if (!folderText && !inputs.text('project-id')) {
    inputs.fail(
      'project-id',
      'is required in mode deploy: give project-id (a project of the DEV environment) or ' +
        'project-folder-id (its folder)'
    )
  }
  return undefined
}

function readEnvironmentType(inputs: InputReader<Input>): EnvironmentType | undefined {
  if (!inputs.text('environment-type')) {
    inputs.fail(
      'environment-type',
      'is required in mode deploy: test or prod, the Workato environment the build is deployed to'
    )
    return undefined
  }
  return inputs.choice('environment-type', ENVIRONMENT_TYPES, 'test')
}

/** manifest-id or source-folder-id: exactly one in the modes that export, neither elsewhere. */
function readExportSource(
  inputs: InputReader<Input>,
  mode: Mode | undefined,
  exporting: boolean,
  fromTree: boolean
): ManifestSource | undefined {
  const manifestId = inputs.id('manifest-id')
  const folderId = inputs.id('source-folder-id')
  if (!exporting) {
    const why = fromTree ? 'the package is package-dir, nothing is exported' : 'nothing is exported'
    if (folderId) inputs.fail('source-folder-id', `is not used in mode ${mode}: ${why}`)
    if (fromTree && manifestId) inputs.fail('manifest-id', `is not used in mode ${mode}: ${why}`)
    return undefined
  }
  if (manifestId && folderId) {
    inputs.fail(
      'source-folder-id',
      'and manifest-id are both set: give one, the export manifest to export (manifest-id) or ' +
        'the folder to export (source-folder-id)'
    )
    return undefined
  }
  if (folderId) return { folderId }
  if (manifestId) return { manifestId }
  // one of the two was wrong (already said), or neither was given
  if (!inputs.text('manifest-id') && !inputs.text('source-folder-id')) {
    inputs.fail(
      'manifest-id',
      `is required in mode ${mode}: give manifest-id (an export manifest of the source ` +
        'workspace) or source-folder-id (a folder, exported through a manifest this action makes)'
    )
  }
  return undefined
}

/** snapshot: true (a manifest made for folder-id) or snapshot-manifest-id; plan needs one. */
function readSnapshot(
  inputs: InputReader<Input>,
  mode: Mode | undefined,
  folderId: string | undefined
): ManifestSource | undefined {
  const made = inputs.bool('snapshot', false)
  const manifestId = inputs.id('snapshot-manifest-id')
  if (mode === 'export' && (made || manifestId)) {
    inputs.fail(
      made ? 'snapshot' : 'snapshot-manifest-id',
      'needs a target: use it with mode promote, import or plan'
    )
    return undefined
  }
  if (made && manifestId) {
    inputs.fail(
      'snapshot-manifest-id',
      'and snapshot: true are both set: give one, snapshot: true (a manifest this action makes ' +
        'for folder-id) or snapshot-manifest-id (one you keep in the target)'
    )
    return undefined
  }
  if (made) {
    if (!folderId) {
      if (!inputs.text('folder-id')) {
        inputs.fail('folder-id', 'is required with snapshot: true: the target folder to snapshot')
      }
      return undefined
    }
    return { folderId }
  }
  if (manifestId) return { manifestId }
  if (mode === 'plan' && !inputs.text('snapshot-manifest-id')) {
    inputs.fail(
      'snapshot',
      'is required in mode plan: set snapshot: true with folder-id (a manifest this action makes ' +
        'for the target folder), or give snapshot-manifest-id'
    )
  }
  return undefined
}

/** A host and its token; read in every mode (so a bad one is never silently ignored) when needed. */
function endpoint(
  inputs: InputReader<Input>,
  side: 'source' | 'target',
  required: string | undefined
): Endpoint | undefined {
  const hostText = inputs.text(`${side}-host`) || 'us'
  if (!required) {
    inputs.text(`${side}-token`)
    return undefined
  }
  const host = resolveHost(hostText)
  if ('problem' in host) inputs.fail(`${side}-host`, host.problem)
  const token = inputs.secret(`${side}-token`, required)
  return 'url' in host && token ? { baseUrl: host.url, token } : undefined
}

function readCommon(
  inputs: InputReader<Input>,
  ids: {
    mode?: Mode
    manifestId?: string
    sourceFolderId?: string
    folderId?: string
    snapshotManifestId?: string
    hasSnapshot: boolean
    env: NodeJS.ProcessEnv
    /** The artifact's name when artifact-name is empty (mode deploy's). */
    artifactDefault?: string
    /** The package is zipped from package-dir: package-path names nothing to read. */
    fromTree?: boolean
  }
): Common {
  const folderIdForHomeAssets = inputs.id('folder-id-for-home-assets')
  const preflight = inputs.bool('preflight', true)
  const connectionCheck = inputs.choice('connection-check', CONNECTION_CHECKS, 'warn') ?? 'warn'
  const keepRunning = inputs.bool('keep-running', true)
  const startNewRecipes = inputs.bool('start-new-recipes', false)
  const restartRecipes = inputs.bool('restart-recipes', false)
  const includeTags = inputs.bool('include-tags', false)
  const includeTestCases = inputs.bool('include-test-cases', false)
  const runTests = inputs.bool('run-tests', false)
  if (runTests && ids.mode !== 'promote' && ids.mode !== 'import' && ids.mode !== 'deploy') {
    inputs.fail(
      'run-tests',
      `is used in modes promote and import, after the import (not in mode ${ids.mode})`
    )
  }
  const uploadArtifact = inputs.bool('upload-artifact', true)
  const skipUnchanged = inputs.bool('skip-unchanged', true)
  // Empty means "on when there is a snapshot to restore": a default of true would refuse every
  // run without one, since the runner passes every default.
  const rollbackOnFailure = inputs.bool('rollback-on-failure', ids.hasSnapshot)
  const pollIntervalSeconds = inputs.count(
    'poll-interval',
    'seconds',
    300,
    DEFAULT_POLL_INTERVAL_SECONDS
  )
  const waitTimeoutSeconds = inputs.count(
    'wait-timeout',
    'seconds',
    6 * 3600,
    DEFAULT_WAIT_TIMEOUT_SECONDS
  )
  const maxPackageBytes = inputs.count('max-package-mb', 'MB', 10_240, DEFAULT_MAX_PACKAGE_MB) * MB
  const retentionDays = inputs.count('retention-days', 'days', 400)
  const rateLimits = readRateLimits(inputs)

  const files = readFiles(inputs, ids)
  return {
    preflight,
    connectionCheck,
    keepRunning,
    startNewRecipes,
    restartRecipes,
    includeTags,
    includeTestCases,
    runTests,
    folderIdForHomeAssets,
    skipUnchanged,
    rollbackOnFailure,
    uploadArtifact,
    ...files,
    retentionDays,
    pollIntervalSeconds,
    waitTimeoutSeconds,
    maxPackageBytes,
    rateLimits
  }
}

/**
 * Quotas Workato raised for an enterprise workspace, as `collection=number` pairs ("recipes=600,
 * packages=300"): calls a minute, imports an hour. Unnamed collections keep the documented quota.
 */
function readRateLimits(inputs: InputReader<Input>): Partial<Record<Collection, number>> {
  const limits: Partial<Record<Collection, number>> = {}
  for (const pair of inputs.list('rate-limits')) {
    const m = pair.match(/^([a-z]+)\s*=\s*([0-9]{1,7})$/)
    const name = m?.[1] as Collection | undefined
    if (!m || !name || !COLLECTIONS.includes(name) || Number(m[2]) < 1) {
      inputs.fail(
        'rate-limits',
        `has "${oneLine(pair, 40)}": give collection=number pairs, the collections being ` +
          `${COLLECTIONS.join(', ')} (calls a minute; imports an hour), e.g. recipes=600`
      )
      continue
    }
    limits[name] = Number(m[2])
  }
  return limits
}

/** Where the package goes, and the names it and its snapshot are kept under. */
function readFiles(
  inputs: InputReader<Input>,
  ids: Parameters<typeof readCommon>[1]
): Pick<Common, 'artifactName' | 'snapshotArtifactName' | 'packagePath'> {
  const artifactName = inputs.artifactName(
    'artifact-name',
    ids.artifactDefault ??
      `workato-package-${ids.manifestId ?? (ids.sourceFolderId ? `folder-${ids.sourceFolderId}` : ids.fromTree ? 'dir' : 'import')}`
  )
  const snapshotArtifactName = `${artifactName}-snapshot-${ids.folderId ?? `manifest-${ids.snapshotManifestId}`}`

  // Any file the workflow can write: its author writes every input and any `run:` step already,
  // so confining the path would protect nothing and break /tmp/release.zip and self-hosted runners.
  let packagePath = inputs.filePath('package-path', ids.env.GITHUB_WORKSPACE || process.cwd())
  if (packagePath !== undefined && ids.fromTree && ids.mode !== 'unpack') {
    inputs.fail(
      'package-path',
      'and package-dir are both set: give one, the zip to import (package-path) or the folder to ' +
        'zip and import (package-dir)'
    )
  }
  if (packagePath === undefined && !inputs.text('package-path')) {
    if (ids.mode === 'import' && !ids.fromTree)
      inputs.fail(
        'package-path',
        'is required in mode import: the zip to import (or give package-dir, a folder to zip)'
      )
    else packagePath = path.join(ids.env.RUNNER_TEMP || os.tmpdir(), `${artifactName}.zip`)
  }
  return { artifactName, snapshotArtifactName, packagePath: packagePath ?? '' }
}

function readSha256(inputs: InputReader<Input>, mode: Mode | undefined): string | undefined {
  const text = inputs.text('package-sha256').replace(/^sha256:/i, '')
  if (!text) return undefined
  if (mode !== 'import') {
    return inputs.fail(
      'package-sha256',
      'is only checked in mode import; remove it or set mode: import'
    )
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    return inputs.fail('package-sha256', 'must be 64 hexadecimal characters (a sha256 digest)')
  }
  return text.toLowerCase()
}

/** Modes that read or write a package kept in the repository. */
const TREE_MODES: readonly Mode[] = ['unpack', 'import', 'plan']

/**
 * package-dir: a folder of the workspace, below its root (mode unpack replaces what the folder
 * holds, so the root, which holds the repository itself, is refused), and drift with it. Whether
 * the folder is there and holds only package files is checked by the runner before any request
 * (package-tree.ts readTree); here only what the text says. 'refused': given, and wrong.
 */
function readPackageDir(
  inputs: InputReader<Input>,
  mode: Mode | undefined,
  env: NodeJS.ProcessEnv
): PackageDir | 'refused' | undefined {
  const text = inputs.text('package-dir')
  const drift = inputs.choice('drift', DRIFT_CHECKS, 'warn') ?? 'warn'
  const usedIn = `is used in modes ${TREE_MODES.join(', ')}`
  if (!text) {
    if (mode === 'unpack')
      inputs.fail('package-dir', 'is required in mode unpack: the folder to write the package into')
    if (drift !== 'warn' && inputs.text('drift'))
      inputs.fail(
        'drift',
        'needs package-dir: drift is what the target holds that the folder does not'
      )
    return undefined
  }
  if (!mode || !TREE_MODES.includes(mode)) {
    inputs.fail('package-dir', `${usedIn} (mode is ${mode ?? '?'})`)
    return 'refused'
  }
  if (mode === 'unpack' && drift !== 'warn') {
    inputs.fail('drift', 'is checked in modes import and plan, against the target: remove it')
  }
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const dir = inputs.folderPath('package-dir', workspace)
  if (!dir) return 'refused'
  const relative = path.relative(workspace, dir)
  if (relative === '' || leavesBase(relative)) {
    inputs.fail(
      'package-dir',
      `must be a folder below the workspace (${workspace}), not the workspace itself or outside it ` +
        `(got ${JSON.stringify(oneLine(text, 80))})`
    )
    return 'refused'
  }
  return { packageDir: dir, workspace, drift }
}
