/**
 * Assigns the published package to the fleets in fleet-id, if any, and reads what that reached:
 * a warning per device that did not take it, and a failure when none did, since then nothing was
 * rolled out (Torizon answers 201 either way). A device not reached because it already has this
 * package assigned (a re-run) is neither: it is counted apart, so a re-run of a roll-out that went
 * through is judged as that one was.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { need } from '../../shared/inputs.js'
import { ANNOTATIONS_PER_STEP } from '../../shared/report.js'
import { plural } from '../../shared/text.js'
import type { TorizonApi } from '../api.js'
import { deviceName, type Reached } from '../devices.js'
import type { Config } from '../inputs.js'
import { sortAlreadyAssigned } from '../assignments.js'
import { rollOut } from '../packages.js'
import type { RunRecord } from '../record.js'

export async function rollOutToFleets(
  api: TorizonApi,
  config: Config,
  record: RunRecord
): Promise<void> {
  if (config.fleetIds.length === 0) return
  record.stage = 'roll-out'
  const stored = need(record.package)
  const { packageId } = stored
  const fleets = `fleet${config.fleetIds.length === 1 ? '' : 's'} ${config.fleetIds.join(', ')}`
  const answered = await rollOut(api, packageId, config.fleetIds)
  record.rolledOut = config.fleetIds
  record.reached = answered
  const reached = await sortAlreadyAssigned(api, answered, {
    packageId,
    sha256: stored.sha256 ?? record.file?.sha256
  })
  record.reached = reached
  warnNotReached(reached)
  const { affected, notAffected } = reached.counts
  const assigned = reached.counts.alreadyAssigned ?? 0
  const of = `${affected} of ${plural(affected + notAffected + assigned, 'device')}`
  const before =
    assigned > 0
      ? `; ${plural(assigned, 'device')} already had it assigned (an earlier run's roll-out, still pending)`
      : ''
  if (affected + assigned === 0) {
    const why = reached.notAffected[0]
      ? `: ${deviceName(reached.notAffected[0])}: ${reached.notAffected[0].reasons.join('; ')}` +
        (notAffected > 1 ? `, and ${plural(notAffected - 1, 'other')}` : '')
      : ': the fleets have no devices'
    throw new ActionError(
      `${of} took the update to ${packageId} in ${fleets}${why}. Nothing was rolled out: check the ` +
        'devices of the fleets (their hardware IDs, updates already pending) in Torizon Cloud.'
    )
  }
  if (affected === 0) {
    // a re-run: what the earlier run assigned is still pending, and that is the roll-out
    core.info(
      `${packageId} was already assigned to ${plural(assigned, 'device')} of ${fleets}, an earlier ` +
        `run's roll-out still pending; nothing new was assigned` +
        (notAffected > 0
          ? ` (${notAffected} other${notAffected === 1 ? '' : 's'} did not take it).`
          : '.')
    )
    return
  }
  core.info(`Rolled out ${packageId} to ${fleets}: ${of} took the update${before}.`)
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
