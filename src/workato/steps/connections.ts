/**
 * Connection readiness: which connections the package's recipes use, and whether each exists
 * and is authorized in the target, before the import. Missing ones the import creates without
 * credentials, so recipes using them will not run until someone connects them. `warn` says so
 * per connection and goes on; `fail` stops before anything is sent. What cannot be looked at
 * (a privilege, an outage) is a warning, never a failure.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { mapPool } from '../../shared/pool.js'
import { connectionsUsed, type UsedConnection } from '../connections.js'
import { PARALLEL_READS, type Row } from '../folders.js'
import { checkOrWarn, type AdvisoryCheck } from '../advisory.js'
import type { ImportingConfig } from '../inputs.js'
import type { ConnectionStatus, PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'

const LOOKING: AdvisoryCheck = {
  could: "Could not check the package's connections in the target workspace",
  privileges: ['Projects & folders', 'Connections'],
  then: 'the import will tell',
  stopsOn: 'refused token'
}

/**
 * The half of the check that needs no package, read while the export runs: the import folder's
 * connections (where a package's connections usually are). A failure here is said once, by the
 * check itself.
 */
export function connectionsAhead(run: RunContext, config: ImportingConfig): void {
  if (config.connectionCheck !== 'off') void run.connectionsIn(config.folderId)
}

/**
 * Where the package's connections are looked for, and in whose words: an import's folder, or a
 * deployed project's folder in the environment (undefined: the project is not there yet, so
 * every connection is missing).
 */
export interface ConnectionScope {
  folderId: string | undefined
  connectionCheck: ImportingConfig['connectionCheck']
  /** "the import" or "the deployment". */
  change?: string
  /** "the target workspace" or "the PROD environment". */
  where?: string
}

export async function checkConnections(
  run: RunContext,
  config: ConnectionScope,
  pkg: PackageRecord
): Promise<void> {
  if (config.connectionCheck === 'off') return
  const record = run.record
  record.stage = 'connections'
  const { used, outside } = await connectionsUsed(pkg.path)
  if (used.length === 0 && outside.length === 0) return
  const folderId = config.folderId
  const statuses = await checkOrWarn(
    async () =>
      folderId
        ? lookUp(run, folderId, used)
        : used.map(conn => ({ ...conn, status: 'missing' as const })),
    { ...LOOKING, stop: run.deadline.signal }
  )
  if (!statuses) return
  record.connections = { statuses, outside }
  const change = config.change ?? 'the import'
  const where = config.where ?? 'the target workspace'
  const problems = statuses.filter(s => s.status !== 'authorized')
  for (const p of problems) core.warning(problemText(p, change))
  if (problems.length > 0 && config.connectionCheck === 'fail') {
    const into = folderId ? `folder ${folderId} of ${where}` : where
    throw new ActionError(
      `${problems.length} connection(s) will not work in ${into}: ` +
        `${problems.map(p => `"${p.name}" (${p.status})`).join(', ')}. Nothing was ${change === 'the import' ? 'imported' : 'deployed'}: connect them in ` +
        `${where}, or set connection-check: warn.`
    )
  }
}

function problemText(p: ConnectionStatus, change: string): string {
  const what =
    p.status === 'missing'
      ? `does not exist in the target: ${change} will create it without credentials`
      : 'is not authorized in the target'
  const where = p.folder
    ? `folder "${p.folder}"`
    : `the ${change === 'the import' ? 'import' : 'project'} folder`
  return `Connection "${p.name}" (${p.provider}) in ${where} ${what}; recipes using it will not run until someone connects it: ${p.recipes.join(', ')}.`
}

/**
 * Each used connection's state in the target: found by name and application in its folder (a
 * custom connector's by name and folder: its name differs between workspaces). Each folder's
 * connections are listed once per run; subfolders are found in the run's folder tree.
 */
async function lookUp(
  run: RunContext,
  folderId: string,
  used: UsedConnection[]
): Promise<ConnectionStatus[]> {
  const paths = [...new Set(used.map(c => c.folder))]
  const lists = new Map<string, Row[]>()
  await mapPool(paths, PARALLEL_READS, async relative => {
    const folder = relative ? (await run.folderTree(folderId)).at(relative) : folderId
    lists.set(relative, folder ? await run.connectionsIn(folder) : [])
  })
  return used.map(conn => {
    const found = lists
      .get(conn.folder)
      ?.find(c => c.name === conn.name && (conn.custom || c.application === conn.provider))
    const status = !found
      ? 'missing'
      : found.authorization_status === 'success'
        ? 'authorized'
        : 'not-authorized'
    return { ...conn, status }
  })
}
