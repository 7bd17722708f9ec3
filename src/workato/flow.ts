/** The steps of each mode, in order: the one place that says what a mode does. */
import { ActionError } from '../shared/errors.js'
import type {
  Config,
  DeployConfig,
  ImportConfig,
  ImportingConfig,
  PackageDir,
  PlanConfig,
  UnpackConfig
} from './inputs.js'
import { readTree, type Tree } from './package-tree.js'
import { zipTree } from './steps/pack.js'
import { unpack } from './steps/unpack.js'
import type { Project } from './projects.js'
import type { PackageRecord, RecipeState, RunRecord } from './record.js'
import { RunContext } from './run-context.js'
import { checkConnections, connectionsAhead } from './steps/connections.js'
import { checkPackagePath, exportPackage } from './steps/export.js'
import { importAndVerify } from './steps/import.js'
import { runTestsIfAsked } from './steps/tests.js'
import { checkGivenPackage } from './steps/package.js'
import { preflight } from './steps/preflight.js'
import { rollBackIfFailed } from './steps/rollback.js'
import { givenBuild, keepBuild, makeBuild } from './steps/build.js'
import {
  buildOf,
  deploy,
  earlierDeployment,
  previousSuccess,
  redeployIfFailed,
  waitOnEarlier
} from './steps/deploy.js'
import { environmentName, findProjects, lookAfter } from './steps/environment.js'
import { keepRunning, recipesBefore, type RunningScope } from './steps/running.js'
import { nothingToImport, snapshotAndPlan } from './steps/snapshot.js'

export async function runSteps(config: Config, record: RunRecord): Promise<void> {
  const run = new RunContext(config, record)
  // After a cancel the frame abandons the steps: stopping them with the other clean-ups keeps
  // their waits from polling Workato while a made manifest is deleted.
  record.cleanUps?.add('stop the steps', () => {
    run.stop(new ActionError('the run has ended'))
    return Promise.resolve()
  })
  try {
    await modeSteps(run, config, record)
  } finally {
    // a read started ahead and never needed (a package with no connections) ends with the run
    run.stop(new ActionError('the run has ended'))
  }
}

async function modeSteps(run: RunContext, config: Config, record: RunRecord): Promise<void> {
  // What the runner can check by itself comes first: a bad file costs no request.
  if (config.mode === 'deploy') return deploySteps(run, config)
  if (config.mode === 'import') {
    const pkg = config.tree
      ? await zippedTree(run, { ...config, tree: config.tree })
      : await checkGivenPackage(config, record)
    const before = await readyTarget(run, config, false)
    return importSafely(run, config, pkg, before)
  }
  if (config.mode === 'plan' && config.tree) {
    const pkg = await zippedTree(run, { ...config, tree: config.tree })
    await preflight(run, 'target')
    await snapshotAndPlan(run, config, config.snapshot, pkg)
    return
  }
  if (config.mode === 'unpack') return unpackSteps(run, config)
  await checkPackagePath(config)
  await preflight(run, 'source')
  if (config.mode === 'export') {
    await exportPackage(run, config)
    return
  }
  // The target's checks need nothing from the export: they run while Workato exports.
  if (config.mode === 'plan') {
    const [pkg] = await beside(
      run,
      exportPackage(run, config),
      preflight(run, 'target', { exporting: true })
    )
    await snapshotAndPlan(run, config, config.snapshot, pkg)
    return
  }
  const [pkg, before] = await beside(
    run,
    exportPackage(run, config),
    readyTarget(run, config, true)
  )
  await importSafely(run, config, pkg, before)
}

/**
 * Export as mode export does, then write the package into package-dir; the folder is read
 * first: one that cannot be written costs no export.
 */
async function unpackSteps(run: RunContext, config: UnpackConfig): Promise<void> {
  const tree = await readPackageDir(run, config.tree, true)
  await checkPackagePath(config)
  await preflight(run, 'source')
  const pkg = await exportPackage(run, config)
  await unpack(run, config, pkg, tree)
}

/** package-dir as it is now, every problem an input error before any request. */
function readPackageDir(run: RunContext, tree: PackageDir, forUnpack: boolean): Promise<Tree> {
  run.record.stage = 'read package-dir'
  return readTree(tree.packageDir, tree.workspace, forUnpack, run.config.maxPackageBytes)
}

/** package-dir read and zipped, before any request: the package this run imports or plans. */
async function zippedTree(
  run: RunContext,
  config: (ImportConfig | PlanConfig) & { tree: PackageDir }
): Promise<PackageRecord> {
  const tree = await readPackageDir(run, config.tree, false)
  await checkPackagePath(config)
  return zipTree(run, config, tree)
}

/**
 * The target's half that needs no package: pre-flight (a refused token or a missing folder stops
 * the run here), then the folder's connections and its recipes before the import, read together.
 */
async function readyTarget(
  run: RunContext,
  config: ImportingConfig,
  exporting: boolean
): Promise<RecipeState[] | undefined> {
  await preflight(run, 'target', { exporting })
  connectionsAhead(run, config)
  if (!exporting) run.record.stage = 'running recipes'
  return recipesBefore(run, config)
}

/**
 * Connections first; with a snapshot: plan, skip what is unchanged; import, then the test gate
 * (run-tests); roll back a failed import or failed tests; then recipes the import stopped are
 * started again, whatever the tests said.
 */
async function importSafely(
  run: RunContext,
  config: ImportingConfig,
  pkg: PackageRecord,
  before: RecipeState[] | undefined
): Promise<void> {
  await checkConnections(run, config, pkg)
  if (await nothingToImport(run, config, pkg)) return
  await importAndVerify(run, config, pkg)
  await runTestsIfAsked(run, config)
  await rollBackIfFailed(run, config)
  await keepRunning(run, config, before)
}

/**
 * Workato Environments: the project found in DEV (and by name in the environment, with
 * target-token); an earlier deployment of this build or this workflow run is never repeated;
 * otherwise built (or build-id), kept, checked, deployed, rolled back if it failed and asked to;
 * then recipes that ran before are started again and the environment is looked at.
 */
async function deploySteps(run: RunContext, config: DeployConfig): Promise<void> {
  await checkPackagePath(config)
  const { project, there } = await findProjects(run, config)
  const given = config.buildId ? await givenBuild(run, config, project) : undefined
  const earlier = await earlierDeployment(run, config, project, given)
  const deployRecord = (run.record.deploy ??= {})
  if (earlier) {
    const build = given ?? (await buildOf(run, earlier))
    deployRecord.build = { ...build, origin: given ? 'given' : 'earlier attempt' }
    if (earlier.phase !== 'success') await previousSuccess(run, config, project)
    await keepBuild(run, config, build)
    await waitOnEarlier(run, config, earlier)
    await redeployIfFailed(run, config)
    await lookAfter(run, config, project)
    return
  }
  const scope = runningScope(config, there)
  const [build, before] = await beside(
    run,
    given ? Promise.resolve(given) : makeBuild(run, config, project),
    environmentAhead(run, config, project, scope)
  )
  const pkg = await keepBuild(run, config, build)
  if (pkg && there) {
    await checkConnections(
      run,
      {
        folderId: scope?.folderId,
        connectionCheck: config.connectionCheck,
        change: 'the deployment',
        where: `the ${environmentName(config)} environment`
      },
      pkg
    )
  }
  await deploy(run, config, build)
  await redeployIfFailed(run, config)
  const after = scope ? await keepRunning(run, scope, before) : undefined
  await lookAfter(run, config, project, after)
}

/** The environment's project folder, when it is there already, for keep-running. */
function runningScope(
  config: DeployConfig,
  there: Project | 'absent' | undefined
): RunningScope | undefined {
  if (!there || there === 'absent' || !there.folderId) return undefined
  return {
    folderId: there.folderId,
    keepRunning: config.keepRunning,
    startNewRecipes: false,
    change: 'the deployment',
    // the environment is reported whole afterwards: one fresh listing serves both
    wholeTree: true
  }
}

/**
 * What the build's time hides: the last good deployment (for a rollback), the environment's
 * recipes and connections before the deployment.
 */
async function environmentAhead(
  run: RunContext,
  config: DeployConfig,
  project: Project,
  scope: RunningScope | undefined
): Promise<RecipeState[] | undefined> {
  const [, before] = await Promise.all([
    previousSuccess(run, config, project),
    (async () => {
      if (!scope) return undefined
      if (config.connectionCheck !== 'off') void run.connectionsIn(scope.folderId)
      return recipesBefore(run, scope)
    })()
  ])
  return before
}

/**
 * The export and the target's checks, side by side. The first to fail stops the other (its
 * waits and requests end at once) and is the run's failure; the stage names the target's
 * pre-flight when that is what failed.
 */
async function beside<A, B>(run: RunContext, main: Promise<A>, aside: Promise<B>): Promise<[A, B]> {
  let first: { error: unknown } | undefined
  const watch = <T>(work: Promise<T>, isAside: boolean): Promise<T> =>
    work.catch((error: unknown) => {
      if (!first) {
        first = { error }
        if (isAside) run.record.stage = 'preflight'
        run.stop(error)
      }
      throw error
    })
  const [a, b] = await Promise.allSettled([watch(main, false), watch(aside, true)])
  if (first) throw first.error
  if (a.status !== 'fulfilled' || b.status !== 'fulfilled') throw new Error('unreachable')
  return [a.value, b.value]
}
