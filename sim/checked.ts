/** Checked reads for the simulators' own parsing, under noUncheckedIndexedAccess. */

/** Capture group `n` of a match; throws when the group took no part in it. */
export function group(match: RegExpMatchArray, n: number): string {
  const text = match[n]
  if (text === undefined) throw new Error(`group ${n} of ${JSON.stringify(match[0])} is empty`)
  return text
}
