/** Everything a publish run learned, filled in as it goes: a failed run still reports it. */
import type { Kept } from '../shared/artifact.js'
import type { FileFacts } from '../shared/package-file.js'
import type { Ended } from '../shared/run.js'
import type { Config } from './inputs.js'
import type { ServiceImage } from './compose.js'
import type { Reached } from './devices.js'
import type { PackageInfo } from './packages.js'

/** Where a run is; the cancellation message says what each one may have left behind. */
export type Stage =
  | 'start'
  | 'package file'
  | 'keep as artifact'
  | 'look-up'
  | 'upload'
  | 'check upload'
  | 'roll-out'
  | 'done'

export type Outcome = 'published' | 'already-published' | 'failed' | 'cancelled'

/** `failures` and `interrupted` (a cancel) are written by the run frame too. */
export interface RunRecord extends Ended {
  config: Config
  stage: Stage
  file?: FileFacts & { path: string }
  artifact?: Kept
  /** The sha256 and size of the bytes the last upload sent. */
  sent?: FileFacts
  /** The package as Torizon holds it under this name and version, once known. */
  package?: PackageInfo
  /** Whether this run put it there, or found it there; undefined until that is proven. */
  published?: 'published' | 'already-published'
  /** How that was learned when it was not the upload's own answer. */
  howKnown?: string
  /** A compose package's images and whether each is pinned by digest. */
  compose?: ServiceImage[]
  /** The fleets the package was assigned to. */
  rolledOut?: string[]
  /** The devices that took the assignment, and those that did not (the roll-out's answer). */
  reached?: Reached
}

export function newRecord(config: Config): RunRecord {
  return { config, stage: 'start', failures: [] }
}

/** Decided in one place: a run that is not proven published is failed, never quietly fine. */
export function outcomeOf(record: RunRecord): Outcome {
  if (record.interrupted?.by === 'cancel') return 'cancelled'
  if (record.failures.length > 0 || !record.published) return 'failed'
  return record.published
}

export function isSuccess(outcome: Outcome): boolean {
  return outcome === 'published' || outcome === 'already-published'
}
