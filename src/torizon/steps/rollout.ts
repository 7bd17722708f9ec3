/** Assigns the published package to the fleets in fleet-id, if any. */
import * as core from '@actions/core'
import { need } from '../../shared/inputs.js'
import type { TorizonApi } from '../api.js'
import type { Config } from '../inputs.js'
import { rollOut } from '../packages.js'
import type { RunRecord } from '../record.js'

export async function rollOutToFleets(
  api: TorizonApi,
  config: Config,
  record: RunRecord
): Promise<void> {
  if (config.fleetIds.length === 0) return
  record.stage = 'roll-out'
  const { packageId } = need(record.package)
  await rollOut(api, packageId, config.fleetIds)
  record.rolledOut = config.fleetIds
  core.info(
    `Rolled out ${packageId} to fleet${config.fleetIds.length === 1 ? '' : 's'} ${config.fleetIds.join(', ')}.`
  )
}
