/**
 * Advisory checks: the checks around a promotion advise; they do not decide it. What keeps one from looking (a
 * privilege the API client lacks, an endpoint Workato does not have, an outage) becomes one
 * warning and the run goes on: the real calls will tell. Only what a check exists to find may
 * stop the run: a token Workato refuses, and for pre-flight an id that is not there.
 */
import * as core from '@actions/core'
import { oneLine } from '../shared/text.js'
import { WorkatoErrorAnswer } from './errors.js'

export interface AdvisoryCheck {
  /** The warning's start, e.g. "Pre-flight could not check folder 34 in the target workspace". */
  could: string
  /** The privileges the calls need, named when Workato answers 403. */
  privileges: string[]
  /** What the run does without it, e.g. "the real calls will tell". */
  then: string
  /** What stops the run instead of a warning: nothing, a token Workato refuses, or a missing id too. */
  stopsOn: 'nothing' | 'refused token' | 'refused token or missing id'
  /** Where the warning is also kept (for the summary). */
  warnings?: string[]
  /**
   * The run's signal: once it has aborted (the run's time limit, or a failure beside this
   * check), the look ends with that reason instead of a warning that would let the run go on.
   */
  stop?: AbortSignal
}

export async function checkOrWarn<T>(
  check: () => Promise<T>,
  about: AdvisoryCheck
): Promise<T | undefined> {
  try {
    return await check()
  } catch (error) {
    if (about.stop?.aborted) throw about.stop.reason
    const answer = error instanceof WorkatoErrorAnswer ? error : undefined
    const apiNotFound = answer?.status === 404 && /API not found/i.test(answer.said ?? '')
    if (about.stopsOn !== 'nothing' && answer?.status === 401) throw error
    if (about.stopsOn === 'refused token or missing id' && answer?.status === 404 && !apiNotFound)
      throw error
    const warning = `${about.could}: ${why(error, about.privileges, apiNotFound)}. Going on: ${about.then}.`
    core.warning(warning)
    about.warnings?.push(warning)
    return undefined
  }
}

function why(error: unknown, privileges: string[], apiNotFound: boolean): string {
  if (error instanceof WorkatoErrorAnswer && error.status === 403) {
    const named = privileges.map(p => `"${p}"`).join(', ')
    return privileges.length === 1
      ? `its API client lacks the ${named} privilege (HTTP 403)`
      : `its API client lacks one of the ${named} privileges (HTTP 403)`
  }
  if (apiNotFound) return 'Workato has no such endpoint here (HTTP 404, "API not found")'
  // the sentence goes on after it: its own full stop would double
  return oneLine(error instanceof Error ? error.message : String(error), 200).replace(/\.+$/, '')
}
