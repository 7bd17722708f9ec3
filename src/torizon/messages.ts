/** The sentences a failed or cancelled publish ends with: what happened, and what is left where. */
import { describeRelease, releaseOf } from './packages.js'
import type { RunRecord, Stage } from './record.js'

/** The failures, after a line that says the package is safely there when it is. */
export function failureText(record: RunRecord): string {
  const failures =
    record.failures.length > 0 ? record.failures : ['The package was not proven published.']
  const text = failures.join(' ')
  if (!record.published || record.interrupted) return text
  const id = record.package?.packageId ?? describeRelease(releaseOf(record.config))
  return `${id} is on Torizon Cloud (${record.published}), but: ${text}`
}

const AFTER_CANCEL: Record<Stage, string> = {
  start: 'Nothing was sent to Torizon Cloud.',
  'package file': 'Nothing was sent to Torizon Cloud.',
  'keep as artifact': 'Nothing was sent to Torizon Cloud.',
  upload:
    'The upload may or may not have reached Torizon Cloud. Re-running the job is safe: a package that arrived is found by its sha256 and reported as already published.',
  'look-up': 'Nothing was sent to Torizon Cloud.',
  'check upload':
    'The upload may or may not have reached Torizon Cloud. Re-running the job is safe: a package that arrived is found by its sha256 and reported as already published.',
  'roll-out':
    'The package is published; the fleets may or may not have been assigned it. Check the fleets in Torizon Cloud, or re-run the job (it finds the package already published and rolls it out again).',
  done: 'Everything had been done.'
}

export function cancelledDuring(record: RunRecord, signal: NodeJS.Signals): string {
  const what = describeRelease(releaseOf(record.config))
  return `Cancelled (${signal}) during the ${record.stage} step of publishing ${what}. ${AFTER_CANCEL[record.stage]}`
}
