/**
 * Checked access for the tests, under noUncheckedIndexedAccess: each helper hands back the value
 * a test reads, or throws an error that says what was missing, instead of a `!` that would let an
 * absent value pass on as `undefined`. And a few narrowings of parsed JSON, so a test that reads
 * a server's answer checks its shape rather than casting it.
 */

/** `items[0]`; throws when there is none. */
export function first<T>(items: readonly T[], what = 'item'): T {
  return item(items, 0, what)
}

/** The one element of `items`; throws unless there is exactly one. */
export function only<T>(items: readonly T[], what = 'item'): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`)
  return item(items, 0, what)
}

/**
 * `items.at(index)` (a negative index counts from the end); throws when absent. An element that
 * is undefined counts as absent: no test reads one on purpose.
 */
export function item<T>(items: readonly T[], index: number, what = 'item'): T {
  const value = items.at(index)
  if (value === undefined)
    throw new Error(`no ${what} at index ${index}: there are ${items.length}`)
  return value
}

/** Capture group `n` of a match; throws when the group took no part in it (the simulator's own). */
export { group } from '../sim/checked.js'

/** `value`, unless it is undefined or null: then an error naming `what`. */
export function present<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} is missing`)
  return value
}

const shown = (value: unknown): string => String(JSON.stringify(value)).slice(0, 200)

/** A JSON object (not null, not an array), its fields unknown until checked. */
export function record(value: unknown, what = 'value'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object: ${shown(value)}`)
  }
  return value as Record<string, unknown>
}

/** A JSON array, its elements unknown until checked. */
export function array(value: unknown, what = 'value'): unknown[] {
  if (!Array.isArray(value)) {
    throw new Error(`${what} is not an array: ${shown(value)}`)
  }
  return value as unknown[]
}

/** A JSON array of objects. */
export function records(value: unknown, what = 'value'): Array<Record<string, unknown>> {
  return array(value, what).map((element, i) => record(element, `${what}[${i}]`))
}

/** A string. */
export function text(value: unknown, what = 'value'): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string: ${typeof value}`)
  return value
}

/** JSON.parse, typed as what it is: unknown until checked. */
export function parseJson(json: string): unknown {
  return JSON.parse(json) as unknown
}
