/**
 * Pre-flight: before anything is exported or imported, check that each token works and reaches
 * the workspace the user thinks, and that the folder and manifests exist. A refused token, a
 * missing folder or a missing (or archived) manifest fails the run here, so a wrong target token
 * does not cost an export and an artifact first. What pre-flight cannot look at (a privilege the
 * API client lacks, an endpoint that is not there, an outage) is a warning: never fail a release
 * because pre-flight could not look; the real calls will tell.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { oneLine } from '../../shared/text.js'
import type { WorkatoClient } from '../api/client.js'
import { routes, type Route } from '../api/routes.js'
import { idOf } from '../folders.js'
import { WorkatoErrorAnswer, type Side, type Subject } from '../errors.js'
import type { Config } from '../inputs.js'
import { checkOrWarn } from '../advisory.js'
import type { SideCheck } from '../record.js'
import type { RunContext } from '../run-context.js'

/**
 * One side's pre-flight. The target's runs while the source exports (it needs nothing from the
 * export): `exporting` says so in its messages, since an export package is left in the source
 * (harmless: nothing was imported).
 */
export async function preflight(
  run: RunContext,
  side: Side,
  options: { exporting?: boolean } = {}
): Promise<void> {
  const config = run.config
  if (!config.preflight) return
  // beside the export, the stage stays the export's: a cancel must say what Workato runs
  if (!options.exporting) run.record.stage = 'preflight'
  const checks: NonNullable<RunContext['record']['preflight']> = (run.record.preflight ??= {})
  const nothing = options.exporting
    ? 'nothing was imported; the export package left in the source workspace is harmless'
    : 'nothing was exported or imported'
  if (side === 'source' && config.mode === 'deploy') {
    // the project is looked for by the deployment's own pre-flight (steps/environment.ts)
    checks.source = await checkSide(
      run.client('source'),
      [],
      'nothing was built or deployed',
      run.deadline.signal
    )
    return
  }
  if (side === 'source' && 'exportFrom' in config) {
    const from = config.exportFrom
    checks.source = await checkSide(
      run.client('source'),
      [
        'manifestId' in from
          ? manifestCheck(from.manifestId, 'manifest-id', nothing)
          : folderCheck(from.folderId, 'source-folder-id', 'source', nothing)
      ],
      nothing,
      run.deadline.signal
    )
  }
  if (side === 'target' && 'target' in config && config.mode !== 'deploy') {
    checks.target = await checkSide(
      run.client('target'),
      targetLooks(config, nothing),
      nothing,
      run.deadline.signal
    )
    sameWorkspace(checks, 'folderId' in config ? config.folderId : undefined, nothing)
  }
}

/**
 * The DEV token given as the target token imports the package back where it came from, green.
 * One workspace with two folders is a legitimate setup, so it is a warning, unless Workato says
 * the manifest exports the very folder the import would write into.
 */
function sameWorkspace(
  checks: NonNullable<RunContext['record']['preflight']>,
  folderId: string | undefined,
  nothing: string
): void {
  const { source, target } = checks
  if (!source?.workspaceId || source.workspaceId !== target?.workspaceId) return
  if (source.host !== target.host) return
  const name = target.workspace ? `"${target.workspace}" ` : ''
  if (folderId && source.manifestFolder === folderId) {
    throw new ActionError(
      `The source and target tokens reach the same workspace ${name}(id ${target.workspaceId}), and the export ` +
        `manifest exports folder ${folderId}, the folder the import would write into (pre-flight: ${nothing}). ` +
        'Check target-token: it is probably the source workspace’s.'
    )
  }
  const warning =
    `The source and target tokens reach the same workspace ${name}(id ${target.workspaceId}): the package ` +
    'is imported back into the workspace it came from. If the target is another workspace, check target-token.'
  checks.sameWorkspace = warning
  target.warnings.push(warning)
  core.warning(warning)
}

function targetLooks(config: Config, nothing: string): Look[] {
  const looks: Look[] = []
  if ('folderId' in config && config.folderId) {
    looks.push(folderCheck(config.folderId, 'folder-id', 'target', nothing))
  }
  const snapshot = 'snapshot' in config ? config.snapshot : undefined
  if (snapshot && 'manifestId' in snapshot) {
    looks.push(manifestCheck(snapshot.manifestId, 'snapshot-manifest-id', nothing))
  }
  return looks
}

/** One look at the workspace: a route, what it means, the privilege it needs, what to make of it. */
interface Look {
  route: Route
  what: string
  privilege: string
  notFound: (side: Side) => string
  verdict?: (body: Record<string, unknown>, side: Side) => string | undefined
  /** What the answer tells that a later check needs. */
  keep?: (body: Record<string, unknown>, check: SideCheck) => void
}

function manifestCheck(id: string, input: string, nothing: string): Look {
  return {
    route: routes.manifest(id),
    what: `export manifest ${id}`,
    privilege: 'Recipe lifecycle management',
    notFound: side =>
      `Export manifest ${id} was not found in the ${side} workspace (pre-flight: ${nothing}); check ${input} and ${side}-token`,
    // the docs' view of a manifest names no folder; its create body has folder_id, so a
    // result may carry one: only then can the action tell an export into its own folder
    keep: (body, check) => {
      const result = body.result as { folder_id?: unknown } | undefined
      check.manifestFolder = idOf(result?.folder_id)
    },
    verdict: (body, side) => {
      const status = (body.result as { status?: unknown } | undefined)?.status
      return status === 'archived'
        ? `Export manifest ${id} is archived (deleted) in the ${side} workspace: check ${input}. Pre-flight: ${nothing}.`
        : undefined
    }
  }
}

function folderCheck(id: string, input: string, side: Side, nothing: string): Look {
  return {
    route: routes.folder(id),
    what: `folder ${id}`,
    privilege: 'Projects & folders',
    notFound: () =>
      `Folder ${id} was not found in the ${side} workspace (pre-flight: ${nothing}); check ${input} and ${side}-token`
  }
}

/** The looks of one side, made together: none depends on another. */
async function checkSide(
  client: WorkatoClient,
  looks: Look[],
  nothing: string,
  stop: AbortSignal
): Promise<SideCheck> {
  const side = client.side
  const check: SideCheck = { warnings: [] }
  const workspace: Look = {
    route: routes.me(),
    what: 'which workspace the token reaches',
    // With Environments only API clients with DEV access may call it: a 403 is normal there.
    privilege: 'Workspace details',
    notFound: () => `Workato has no /api/users/me at ${client.baseUrl}`
  }
  const [me, ...bodies] = await Promise.all(
    [workspace, ...looks].map(target => look(client, check, target, stop))
  ).catch((error: unknown) => {
    // a refused token says what it stopped, as a missing folder does
    if (error instanceof WorkatoErrorAnswer && error.status === 401) {
      throw new WorkatoErrorAnswer(`${error.message} Pre-flight: ${nothing}.`, 401, error.said)
    }
    throw error
  })
  check.workspaceId = idOf(me?.id)
  check.host = client.baseUrl
  if (typeof me?.name === 'string') {
    check.workspace = oneLine(me.name, 100)
    core.info(
      `Pre-flight: the ${side} token reaches workspace "${check.workspace}" at ${client.baseUrl}`
    )
  }
  looks.forEach((next, i) => {
    const body = bodies[i]
    const problem = body && next.verdict?.(body, side)
    if (problem) throw new ActionError(problem)
    if (body && next.keep) next.keep(body, check)
  })
  return check
}

/** The answer, or undefined when pre-flight could not look (said as a warning). */
function look(
  client: WorkatoClient,
  check: SideCheck,
  target: Look,
  stop: AbortSignal
): Promise<Record<string, unknown> | undefined> {
  const subject: Subject = {
    call: `the pre-flight check of ${target.what} (${client.side} workspace)`,
    notFound: target.notFound(client.side)
  }
  return checkOrWarn(() => client.getJson(target.route, subject), {
    could: `Pre-flight could not check ${target.what} in the ${client.side} workspace`,
    privileges: [target.privilege],
    then: 'the real calls will tell',
    stopsOn: 'refused token or missing id',
    warnings: check.warnings,
    stop
  })
}
