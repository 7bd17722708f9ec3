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
import type { WorkatoClient } from '../client.js'
import type { Side, Subject } from '../errors.js'
import type { Config, Endpoint } from '../inputs.js'
import { lookOrWarn } from '../look.js'
import type { RunRecord, SideCheck } from '../record.js'
import { clientFor } from '../session.js'

export async function preflight(config: Config, record: RunRecord): Promise<void> {
  if (!config.preflight) return
  record.stage = 'preflight'
  const checks: NonNullable<RunRecord['preflight']> = (record.preflight = {})
  if ('source' in config) {
    checks.source = await checkSide('source', config.source, [
      manifestCheck(config.manifestId, 'manifest-id')
    ])
  }
  if ('target' in config) {
    const looks: Look[] = []
    if (config.folderId) looks.push(folderCheck(config.folderId))
    if (config.snapshotManifestId) {
      looks.push(manifestCheck(config.snapshotManifestId, 'snapshot-manifest-id'))
    }
    checks.target = await checkSide('target', config.target, looks)
  }
}

/** One look at the workspace: a path, what it means, the privilege it needs, what to make of it. */
interface Look {
  path: string
  what: string
  privilege: string
  notFound: (side: Side) => string
  verdict?: (body: Record<string, unknown>, side: Side) => string | undefined
}

function manifestCheck(id: string, input: string): Look {
  return {
    path: `/api/export_manifests/${id}`,
    what: `export manifest ${id}`,
    privilege: 'Recipe lifecycle management',
    notFound: side =>
      `Export manifest ${id} was not found in the ${side} workspace (pre-flight: nothing was exported or imported); check ${input} and ${side}-token`,
    verdict: (body, side) => {
      const status = (body.result as { status?: unknown } | undefined)?.status
      return status === 'archived'
        ? `Export manifest ${id} is archived (deleted) in the ${side} workspace: check ${input}. Nothing was exported or imported.`
        : undefined
    }
  }
}

function folderCheck(id: string): Look {
  return {
    path: `/api/folders/${id}`,
    what: `folder ${id}`,
    privilege: 'Projects & folders',
    notFound: () =>
      `Folder ${id} was not found in the target workspace (pre-flight: nothing was exported or imported); check folder-id and target-token`
  }
}

async function checkSide(side: Side, endpoint: Endpoint, looks: Look[]): Promise<SideCheck> {
  const client = clientFor(side, endpoint)
  const check: SideCheck = { warnings: [] }
  const me = await look(client, check, {
    path: '/api/users/me',
    what: 'which workspace the token reaches',
    // With Environments only API clients with DEV access may call it: a 403 is normal there.
    privilege: 'Workspace details',
    notFound: () => `Workato has no /api/users/me at ${client.baseUrl}`
  })
  if (typeof me?.name === 'string') {
    check.workspace = oneLine(me.name, 100)
    core.info(
      `Pre-flight: the ${side} token reaches workspace "${check.workspace}" at ${client.baseUrl}`
    )
  }
  for (const next of looks) {
    const body = await look(client, check, next)
    const problem = body && next.verdict?.(body, side)
    if (problem) throw new ActionError(problem)
  }
  return check
}

/** The answer, or undefined when pre-flight could not look (said as a warning). */
function look(
  client: WorkatoClient,
  check: SideCheck,
  target: Look
): Promise<Record<string, unknown> | undefined> {
  const subject: Subject = {
    call: `the pre-flight check of ${target.what} (${client.side} workspace)`,
    notFound: target.notFound(client.side)
  }
  return lookOrWarn(() => client.getJson(target.path, subject), {
    could: `Pre-flight could not check ${target.what} in the ${client.side} workspace`,
    privileges: [target.privilege],
    then: 'the real calls will tell',
    decides: 'token and ids',
    warnings: check.warnings
  })
}
