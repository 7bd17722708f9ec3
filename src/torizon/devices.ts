/**
 * What a roll-out reached. POST /updates answers 201 `{affected: [device], notAffected: [{device,
 * ecuErrors}]}` (Torizon's `UpdateCreateResult`, ../shared/torizon-api.md): the devices that got
 * the assignment, and those that did not with a reason per ECU. The spec's generated schema puts
 * the device's fields beside `ecuErrors` instead of under `device`; both are read. Every value is the server's: each
 * is cut to one short line before it reaches a log line, an output or the summary.
 */
import { ActionError } from '../shared/errors.js'
import { oneLine } from '../shared/text.js'

/** A device as the answer names it. */
export interface Device {
  uuid: string
  id: string
  name: string
}

/** A device that did not take the update, and why (one reason per ECU, as `ecu: code (words)`). */
export interface NotReached extends Device {
  reasons: string[]
}

export interface Reached {
  affected: Device[]
  notAffected: NotReached[]
  /** Devices not reached because this package is already assigned to them (an earlier run's). */
  alreadyAssigned?: NotReached[]
  /** How many of each the answer listed, when more than were read. */
  counts: { affected: number; notAffected: number; alreadyAssigned?: number }
}

/** Devices read per list: a fleet of more is counted, not listed. */
export const MAX_DEVICES = 1_000
const MAX_REASONS = 5

/**
 * The devices an answer names. An answer without both lists cannot say what was reached: that
 * is a failure, not a success nobody checked (the update may still have been assigned).
 */
export function reachedBy(answer: unknown, what: string): Reached {
  const lists = isObject(answer) ? answer : {}
  const { affected, notAffected } = lists
  if (!Array.isArray(affected) || !Array.isArray(notAffected)) {
    throw new ActionError(
      `Torizon Cloud accepted ${what}, but its answer does not say which devices took it (no affected ` +
        'and notAffected lists). Check the devices of the fleets in Torizon Cloud before rerunning: a rerun ' +
        'assigns the package again.'
    )
  }
  return {
    affected: affected.slice(0, MAX_DEVICES).map(deviceOf),
    notAffected: notAffected.slice(0, MAX_DEVICES).map(entry => {
      const fields = isObject(entry) ? entry : {}
      const device = isObject(fields.device) ? fields.device : fields
      return { ...deviceOf(device), reasons: reasonsOf(fields.ecuErrors) }
    }),
    counts: { affected: affected.length, notAffected: notAffected.length }
  }
}

/** How the log and the summary name a device: its name, and its id when it has one. */
export function deviceName(device: Device): string {
  const known = device.name || device.uuid || 'a device without a name'
  return device.id && device.id !== known ? `${known} (${device.id})` : known
}

function deviceOf(value: unknown): Device {
  const { deviceUuid, deviceId, name } = isObject(value) ? value : {}
  return { uuid: shown(deviceUuid, 64), id: shown(deviceId, 100), name: shown(name, 100) }
}

function reasonsOf(ecuErrors: unknown): string[] {
  if (!isObject(ecuErrors)) return ['no reason given']
  const reasons = Object.entries(ecuErrors)
    .slice(0, MAX_REASONS)
    .map(([ecu, error]) => {
      const { code, description } = isObject(error) ? error : {}
      const words = shown(description, 150)
      return `${shown(ecu, 64) || 'ECU'}: ${shown(code, 60) || 'no code'}${words ? ` (${words})` : ''}`
    })
  return reasons.length > 0 ? reasons : ['no reason given']
}

function shown(value: unknown, max: number): string {
  return typeof value === 'string' || typeof value === 'number' ? oneLine(String(value), max) : ''
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
