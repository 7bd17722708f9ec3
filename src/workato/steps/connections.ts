/**
 * Connection readiness: which connections the package's recipes use, and whether each exists
 * and is authorized in the target, before the import. Missing ones the import creates without
 * credentials, so recipes using them will not run until someone connects them. `warn` says so
 * per connection and goes on; `fail` stops before anything is sent. What cannot be looked at
 * (a privilege, an outage) is a warning, never a failure.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import type { WorkatoClient } from '../client.js'
import { connectionsUsed, type UsedConnection } from '../connections.js'
import { folderAt, rows, type Row } from '../folders.js'
import { lookOrWarn } from '../look.js'
import type { ImportConfig, PromoteConfig } from '../inputs.js'
import type { ConnectionStatus, PackageRecord, RunRecord } from '../record.js'
import { clientFor } from '../session.js'

export async function checkConnections(
  config: PromoteConfig | ImportConfig,
  pkg: PackageRecord,
  record: RunRecord
): Promise<void> {
  if (config.connectionCheck === 'off') return
  record.stage = 'connections'
  const { used, outside } = await connectionsUsed(pkg.path)
  if (used.length === 0 && outside.length === 0) return
  const statuses = await lookOrWarn(
    () => lookUp(clientFor('target', config.target), config.folderId, used),
    {
      could: "Could not check the package's connections in the target workspace",
      privileges: ['Projects & folders', 'Connections'],
      then: 'the import will tell',
      decides: 'token'
    }
  )
  if (!statuses) return
  record.connections = { statuses, outside }
  const problems = statuses.filter(s => s.status !== 'authorized')
  for (const p of problems) core.warning(problemText(p))
  if (problems.length > 0 && config.connectionCheck === 'fail') {
    throw new ActionError(
      `${problems.length} connection(s) will not work in folder ${config.folderId} of the target workspace: ` +
        `${problems.map(p => `"${p.name}" (${p.status})`).join(', ')}. Nothing was imported: connect them in the ` +
        'target workspace, or set connection-check: warn.'
    )
  }
}

function problemText(p: ConnectionStatus): string {
  const what =
    p.status === 'missing'
      ? 'does not exist in the target: the import will create it without credentials'
      : 'is not authorized in the target'
  const where = p.folder ? `folder "${p.folder}"` : 'the import folder'
  return `Connection "${p.name}" (${p.provider}) in ${where} ${what}; recipes using it will not run until someone connects it: ${p.recipes.join(', ')}.`
}

/** Each used connection's state in the target: found by name and application, in its folder. */
async function lookUp(
  client: WorkatoClient,
  folderId: string,
  used: UsedConnection[]
): Promise<ConnectionStatus[]> {
  const listed = new Map<string, Row[]>()
  const statuses: ConnectionStatus[] = []
  for (const conn of used) {
    if (!listed.has(conn.folder)) {
      const folder = await folderAt(client, folderId, conn.folder)
      listed.set(conn.folder, folder ? await connectionsIn(client, folder) : [])
    }
    const found = listed
      .get(conn.folder)
      ?.find(c => c.name === conn.name && c.application === conn.provider)
    const status = !found
      ? 'missing'
      : found.authorization_status === 'success'
        ? 'authorized'
        : 'not-authorized'
    statuses.push({ ...conn, status })
  }
  return statuses
}

async function connectionsIn(client: WorkatoClient, folderId: string): Promise<Row[]> {
  // "returns all connections": no paging documented
  return rows(
    await client.getList(`/api/connections?folder_id=${folderId}`, {
      call: `the list of connections in folder ${folderId}`,
      notFound: `Folder ${folderId} has no connection list in the target workspace`
    })
  )
}
