/**
 * Assigns the published package to the fleets in fleet-id, if any, and reads what that reached:
 * a warning per device that did not take it, and a failure when none did, since then nothing was
 * rolled out (Torizon answers 201 either way).
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { need } from '../../shared/inputs.js'
import { ANNOTATIONS_PER_STEP } from '../../shared/report.js'
import { plural } from '../../shared/text.js'
import type { TorizonApi } from '../api.js'
import { deviceName, type Reached } from '../devices.js'
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
  const fleets = `fleet${config.fleetIds.length === 1 ? '' : 's'} ${config.fleetIds.join(', ')}`
  const reached = await rollOut(api, packageId, config.fleetIds)
  record.rolledOut = config.fleetIds
  record.reached = reached
  warnNotReached(reached)
  const { affected, notAffected } = reached.counts
  const of = `${affected} of ${plural(affected + notAffected, 'device')}`
  if (affected === 0) {
    const why = reached.notAffected[0]
      ? `: ${deviceName(reached.notAffected[0])}: ${reached.notAffected[0].reasons.join('; ')}` +
        (notAffected > 1 ? `, and ${plural(notAffected - 1, 'other')}` : '')
      : ': the fleets have no devices'
    throw new ActionError(
      `${of} took the update to ${packageId} in ${fleets}${why}. Nothing was rolled out: check the ` +
        'devices of the fleets (their hardware IDs, updates already pending) in Torizon Cloud.'
    )
  }
  core.info(`Rolled out ${packageId} to ${fleets}: ${of} took the update.`)
}

/** One warning per device not reached, as many as GitHub shows a step, then how many more. */
function warnNotReached(reached: Reached): void {
  const shown = reached.notAffected.slice(0, ANNOTATIONS_PER_STEP - 1)
  for (const device of shown) {
    core.warning(`${deviceName(device)} did not take the update: ${device.reasons.join('; ')}`)
  }
  const more = reached.counts.notAffected - shown.length
  if (more > 0)
    core.warning(
      `${plural(more, 'more device')} did not take the update (listed in the job summary).`
    )
}
