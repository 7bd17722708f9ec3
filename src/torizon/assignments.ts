/**
 * Which devices a roll-out did not reach already have this very package assigned: a re-run of a
 * job whose roll-out went through. Torizon does not assign a device that has an update pending,
 * so a re-run would otherwise read as "nothing was rolled out".
 *
 * What the v2beta spec offers (../shared/torizon-api.md): `GET /devices/uptane/{uuid}/assignment`,
 * a device's current assignment as a list of `{correlationId, inFlight, targets: {ecu: {image:
 * {filepath, fileinfo: {hashes, length}}}}}`; `GET /devices/packages` (what devices have
 * installed); `GET /fleets/{id}/devices`. Only the devices not reached are looked at, one read
 * each and a bounded number: a device that took the update needs no read, and one that already
 * runs the package and is assigned it again takes no action (the spec's words), so installed
 * packages are not read.
 */
import * as core from '@actions/core'
import { mapPool } from '../shared/pool.js'
import { oneLine, plural } from '../shared/text.js'
import type { TorizonApi } from './api.js'
import { deviceName, type NotReached, type Reached } from './devices.js'

/** Devices whose assignment is read at most, a few at a time. */
export const MAX_ASSIGNMENT_READS = 100
const PARALLEL_READS = 4
const MAX_ASSIGNMENTS = 20
const MAX_TARGETS = 50

/** A device UUID as it may go into a path: the server's value, so checked before it is used. */
const DEVICE_UUID = /^[0-9A-Za-z][0-9A-Za-z-]{0,63}$/

export interface Package {
  packageId: string
  sha256?: string
}

/**
 * `reached` with the devices that already have `pkg` assigned moved out of notAffected into
 * alreadyAssigned. A read that fails leaves its device where it was: the check can only make a
 * verdict kinder when it proves something, never hide a device that was not reached.
 */
export async function sortAlreadyAssigned(
  api: TorizonApi,
  reached: Reached,
  pkg: Package
): Promise<Reached> {
  const readable = reached.notAffected.filter(d => DEVICE_UUID.test(d.uuid))
  const checked = readable.slice(0, MAX_ASSIGNMENT_READS)
  if (checked.length === 0) return reached
  let failed = 0
  const assigned = await mapPool(checked, PARALLEL_READS, async device => {
    try {
      return hasAssigned(await assignmentOf(api, device), pkg)
    } catch (error) {
      failed++
      if (failed === 1) {
        core.info(
          `Could not read the current assignment of ${deviceName(device)}: ${oneLine(
            error instanceof Error ? error.message : String(error),
            300
          )}`
        )
      }
      return false
    }
  })
  const moved = new Set(checked.filter((_, i) => assigned[i]))
  const unchecked = reached.counts.notAffected - checked.length
  if (unchecked > 0) {
    core.info(
      `Read the current assignment of ${plural(checked.length, 'device')} not reached; ` +
        `${plural(unchecked, 'other')} not read (this action reads at most ${MAX_ASSIGNMENT_READS}).`
    )
  }
  if (failed > 1) core.info(`${plural(failed, 'assignment')} could not be read.`)
  if (moved.size === 0) return reached
  return {
    affected: reached.affected,
    notAffected: reached.notAffected.filter(d => !moved.has(d)),
    alreadyAssigned: [...moved],
    counts: {
      ...reached.counts,
      notAffected: reached.counts.notAffected - moved.size,
      alreadyAssigned: moved.size
    }
  }
}

async function assignmentOf(api: TorizonApi, device: NotReached): Promise<unknown[]> {
  return api.getJsonList(`/devices/uptane/${encodeURIComponent(device.uuid)}/assignment`, {
    what: `the look-up of what ${deviceName(device)} is assigned`
  })
}

/**
 * Whether an assignment names the package: by its target file name (Torizon's `name-version`;
 * name and version never name other bytes) or by its sha256 among the image's hashes. The shape
 * of `hashes` is not settled by the spec (a string there, a `{sha256}` map in Uptane), so any
 * string inside it is compared.
 */
function hasAssigned(assignments: unknown[], pkg: Package): boolean {
  return assignments.slice(0, MAX_ASSIGNMENTS).some(queued => {
    const targets = isObject(queued) && isObject(queued.targets) ? queued.targets : {}
    return Object.values(targets)
      .slice(0, MAX_TARGETS)
      .some(target => {
        const image = isObject(target) && isObject(target.image) ? target.image : {}
        if (image.filepath === pkg.packageId) return true
        const info = isObject(image.fileinfo) ? image.fileinfo : {}
        const sha = pkg.sha256?.toLowerCase()
        return sha !== undefined && stringsIn(info.hashes).some(h => h.toLowerCase() === sha)
      })
  })
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (isObject(value)) {
    return Object.values(value)
      .slice(0, 10)
      .filter((v): v is string => typeof v === 'string')
  }
  return []
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
