/**
 * Mode deploy's build: made in DEV (or given by build-id), waited on, then downloaded, checked
 * and kept as the package is. A build zip's format is not documented: it is read with the
 * package reader, and one that does not look like a package is said, never a failure (the
 * deployment does not need it).
 */
import * as core from '@actions/core'
import { keep } from '../../shared/artifact.js'
import { ActionError } from '../../shared/errors.js'
import { TooLarge } from '../../shared/http/download.js'
import { formatBytes, writeAtomically } from '../../shared/package-file.js'
import { zipProblem } from '../../shared/zip.js'
import { routes } from '../api/routes.js'
import type { DeployConfig } from '../inputs.js'
import { runLabel } from '../manifests.js'
import { IMPORT_LIMIT_BYTES } from '../packages.js'
import { getBuild, startBuild, waitUntilSettled, type Build, type Project } from '../projects.js'
import type { PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'
import { listAssets } from './package.js'

/** What a build or deployment is, in Workato's description field: who, from where, and why. */
export function releaseDescription(what: string, env: NodeJS.ProcessEnv = process.env): string {
  return `workato-promote${runLabel(env, true)}: ${what}`.slice(0, 200)
}

/** The build given by build-id: of this project, and built (a pending one is waited on). */
export async function givenBuild(
  run: RunContext,
  config: DeployConfig,
  project: Project
): Promise<Build> {
  const client = run.client('source')
  const id = config.buildId ?? ''
  run.record.stage = 'build'
  let build = await getBuild(client, id)
  if (build.projectId && build.projectId !== project.id) {
    throw new ActionError(
      `Build ${id} belongs to project ${build.projectId}, not to project ${project.id} ("${project.name}"): ` +
        'check build-id and the project inputs. Nothing was deployed.'
    )
  }
  build = await settle(run, build, project)
  return build
}

/** Builds the project in DEV and waits until Workato says success. */
export async function makeBuild(
  run: RunContext,
  config: DeployConfig,
  project: Project
): Promise<Build> {
  const client = run.client('source')
  run.record.stage = 'build'
  const env = config.environmentType.toUpperCase()
  core.info(`Building project ${project.id} ("${project.name}") in DEV`)
  const started = await startBuild(
    client,
    { projectId: project.id },
    {
      description: releaseDescription(`build for ${env}`),
      includeTestCases: config.includeTestCases
    }
  )
  ;(run.record.deploy ??= {}).build = { ...started, origin: 'made' }
  return settle(run, started, project)
}

async function settle(run: RunContext, build: Build, project: Project): Promise<Build> {
  const client = run.client('source')
  run.record.stage = 'wait for build'
  const origin = run.record.deploy?.build?.origin ?? 'given'
  const done = await waitUntilSettled(
    deadline => getBuild(client, build.id, deadline),
    build,
    {
      what: `build ${build.id} of project "${project.name}"`,
      where: `the project's builds in DEV`
    },
    run.wait
  )
  ;(run.record.deploy ??= {}).build = { ...done, origin }
  if (done.phase === 'failed') {
    throw new ActionError(
      `Workato could not build project ${project.id} ("${project.name}"): build ${done.id} is failed` +
        `${done.error ? `: "${done.error}"` : ' (Workato gave no reason in its answer)'}. Nothing was deployed. ` +
        'Check the project in the DEV environment.'
    )
  }
  core.info(`Build ${done.id} of project ${project.id}: ${done.state}`)
  return done
}

/**
 * Downloads the build as a package is downloaded (streamed, capped, hashed; the token never
 * leaves Workato's origin), reads what it holds and keeps it as the workflow artifact.
 */
export async function keepBuild(
  run: RunContext,
  config: DeployConfig,
  build: Build
): Promise<PackageRecord | undefined> {
  const { record } = run
  const deploy = (record.deploy ??= {})
  const client = run.client('source')
  record.stage = 'download build'
  const file = config.packagePath
  const locate = async (attempt: number): Promise<string> => {
    // a later attempt asks for the build again: its pre-signed URL may have expired
    const url = attempt === 1 ? build.downloadUrl : (await getBuild(client, build.id)).downloadUrl
    if (!url) throw new ActionError(`Workato's answer for build ${build.id} has no download_url`)
    return url
  }
  if (!build.downloadUrl) {
    const again = await getBuild(client, build.id)
    build = { ...build, downloadUrl: again.downloadUrl }
  }
  if (!build.downloadUrl) {
    deploy.notPackage = `Workato named no download_url for build ${build.id}, so it was not kept`
    core.warning(`${deploy.notPackage}; the deployment goes on without it.`)
    return undefined
  }
  const facts = await writeAtomically(file, partial =>
    client
      .downloadFrom(
        routes.build(build.id),
        locate,
        partial,
        {
          call: `the download of build ${build.id}`,
          notFound: `Build ${build.id} has no content to download`
        },
        config.maxPackageBytes
      )
      .catch((error: unknown) => {
        if (!(error instanceof TooLarge)) throw error
        const size =
          error.declared !== undefined ? `declares ${formatBytes(error.declared)}` : 'kept coming'
        throw new ActionError(
          `The download of build ${build.id} ${size}, over max-package-mb (${formatBytes(config.maxPackageBytes)}): ` +
            `stopped, and nothing was kept or deployed. Workato documents ${formatBytes(IMPORT_LIMIT_BYTES)} as ` +
            'its package limit; raise max-package-mb only for a build you expect to be that large.'
        )
      })
  )
  core.info(
    `Downloaded build ${build.id}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}, at ${file}`
  )
  const pkg: PackageRecord = { path: file, ...facts }
  record.package = pkg
  const problem = await zipProblem(file)
  if (problem) {
    deploy.notPackage = `the build's download is not a zip (${problem})`
  } else {
    pkg.inventory = await listAssets(file).catch((error: unknown) => {
      deploy.notPackage = `the zip reader refused it: ${error instanceof Error ? error.message : String(error)}`
      return undefined
    })
    if (pkg.inventory && !pkg.inventory.some(a => a.type !== 'json' && a.type !== 'other')) {
      deploy.notPackage = 'it holds no Workato asset files (*.recipe.json, *.connection.json, …)'
    }
  }
  if (deploy.notPackage) {
    core.warning(
      `Build ${build.id} does not look like a Workato package: ${deploy.notPackage}. It is kept as it came ` +
        '(Workato does not document the format of a build); the deployment does not depend on it.'
    )
  }
  if (config.uploadArtifact) {
    record.stage = 'keep build as artifact'
    record.artifact = await keep(file, config.artifactName, config.retentionDays)
  }
  return deploy.notPackage ? undefined : pkg
}
