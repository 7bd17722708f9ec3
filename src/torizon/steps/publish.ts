/**
 * Publishes the file under its name and version, idempotently: a 409 or a lost answer is settled
 * by looking the version up and comparing sha256 and hardware IDs, never by assuming.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { need } from '../../shared/inputs.js'
import { capitalize, oneLine } from '../../shared/text.js'
import { formatBytes, type FileFacts } from '../../shared/package-file.js'
import type { TorizonApi } from '../api.js'
import { MayHaveArrived, TorizonErrorAnswer } from '../errors.js'
import type { Config } from '../inputs.js'
import {
  describeRelease,
  findPackages,
  releaseOf,
  uploadPackage,
  UPLOAD_LIMIT_BYTES,
  type PackageInfo,
  type Release
} from '../packages.js'
import type { RunRecord } from '../record.js'

/** Uploads at most this many times when answers are lost and the look-up shows nothing arrived. */
const MAX_UPLOADS = 3

export async function publish(api: TorizonApi, config: Config, record: RunRecord): Promise<void> {
  const release = releaseOf(config)
  const file = need(record.file)
  // A re-run, or a later job rolling the release out further, finds it without sending the file
  // again; the upload's 409 still settles a release published in between.
  record.stage = 'look-up'
  const there = await findPackages(api, release)
  if (there.length > 0) return settle(there, release, file, record, 'before')
  const overLimit = file.size > UPLOAD_LIMIT_BYTES
  if (overLimit) {
    core.warning(
      `${file.path} is ${formatBytes(file.size)}, over the ${UPLOAD_LIMIT_BYTES >> 20} MiB that Torizon ` +
        "Cloud's repository server takes in one upload by default: it may refuse it (HTTP 413)."
    )
  }
  for (let upload = 1; ; upload++) {
    record.stage = 'upload'
    let error: unknown
    try {
      const { stored, sent } = await uploadPackage(api, release, file)
      record.sent = sent
      return accept(stored, sent, file, record)
    } catch (caught) {
      error = caught
    }
    const conflict = error instanceof TorizonErrorAnswer && error.status === 409
    // A reset, a timeout or a 5xx after the body went out: Torizon may have stored it.
    const lost =
      error instanceof MayHaveArrived ||
      (error instanceof TorizonErrorAnswer && error.status >= 500)
    if (!conflict && !lost) throw error
    record.stage = 'check upload'
    const existing = await lookUp(api, release, lost ? (error as Error).message : undefined)
    if (existing.length > 0)
      return settle(existing, release, file, record, conflict ? 'conflict' : 'lost')
    if (conflict) {
      throw new ActionError(
        `Torizon Cloud answered 409 to the upload (${(error as TorizonErrorAnswer).said ?? 'a conflict'}), which means ` +
          `${describeRelease(release)} exists, but its list of packages does not show it. Nothing was compared, so ` +
          'nothing is assumed: check the package in Torizon Cloud, or publish a new version.'
      )
    }
    // The server's time limit ran out while reading: over the same link a resend takes as long.
    const tooSlow = error instanceof TorizonErrorAnswer && error.status === 598
    if (upload >= MAX_UPLOADS || tooSlow) throw error
    // A server that will not read a body this large may close the connection rather than answer.
    if (overLimit && error instanceof MayHaveArrived) {
      throw new ActionError(
        `${error.message} The file (${formatBytes(file.size)}) is over the ${UPLOAD_LIMIT_BYTES >> 20} MiB ` +
          "Torizon Cloud's repository server takes in one upload by default, and a server refusing a " +
          'body that large may close the connection instead of answering 413: it was not sent again. ' +
          'Make the package smaller.'
      )
    }
    core.warning(
      `${(error as Error).message.split('. ')[0]}. Torizon Cloud does not list ${describeRelease(release)}, so the ` +
        `file is sent again (upload ${upload + 1} of ${MAX_UPLOADS}).`
    )
  }
}

/** The look-up after a lost answer: when it fails too, the user is told a re-run is safe. */
async function lookUp(
  api: TorizonApi,
  release: Release,
  lostBecause?: string
): Promise<PackageInfo[]> {
  try {
    return await findPackages(api, release)
  } catch (error) {
    if (!lostBecause || !(error instanceof ActionError)) throw error
    throw new ActionError(
      `${lostBecause} Whether it arrived could not be checked: ${error.message} Re-running the job is safe: ` +
        'a package that arrived is found by its sha256 and reported as already published.'
    )
  }
}

/** The upload's own answer: it must hold exactly the bytes of the file. */
function accept(
  stored: PackageInfo,
  sent: FileFacts,
  file: FileFacts & { path: string },
  record: RunRecord
): void {
  record.package = stored
  if (sent.sha256 !== file.sha256 || sent.size !== file.size) {
    throw new ActionError(
      `${file.path} changed while it was uploaded (sha256 ${sent.sha256} sent, ${file.sha256} when checked): ` +
        `Torizon Cloud now holds the bytes that were sent as ${stored.packageId}. Make sure nothing writes the file ` +
        'during the publish step; publish a new version.'
    )
  }
  if (stored.sha256 !== file.sha256 || (stored.size !== undefined && stored.size !== file.size)) {
    throw new ActionError(
      `Torizon Cloud stored ${stored.packageId} with sha256 ${shown(stored.sha256) ?? '(none given)'} and ` +
        `${stored.size ?? 'an unknown number of'} bytes, but the file has sha256 ${file.sha256} and ${file.size} bytes: ` +
        'the upload cannot be trusted. Check the package in Torizon Cloud before rolling it out.'
    )
  }
  record.published = 'published'
  core.info(
    `Published ${stored.packageId}: Torizon Cloud holds sha256 ${stored.sha256}, the file's.`
  )
}

const HOW_KNOWN = {
  before: 'found by name and version before uploading, with the same sha256 and hardware IDs',
  conflict:
    'the upload was refused as a duplicate (409); the version holds the same sha256 and hardware IDs',
  lost: "the upload's answer was lost; the version now holds the same sha256 and hardware IDs"
}

/** The version exists: the same bytes for the same hardware is this release; anything else is not. */
function settle(
  existing: PackageInfo[],
  release: Release,
  file: FileFacts,
  record: RunRecord,
  when: 'before' | 'conflict' | 'lost'
): void {
  const same = existing.find(
    p => p.sha256 === file.sha256 && sameSet(p.hardwareIds, release.hardwareIds)
  )
  if (same) {
    record.package = same
    record.published = when === 'lost' ? 'published' : 'already-published'
    record.howKnown = HOW_KNOWN[when]
    core.info(
      `${capitalize(describeRelease(release))} is on Torizon Cloud with the same sha256 (${file.sha256}) and hardware IDs: ${record.published}.`
    )
    return
  }
  const [other] = existing
  if (!other) throw new Error('unreachable: the list was checked to hold one package')
  record.package = other
  if (other.sha256 !== file.sha256) {
    throw new ActionError(
      `${capitalize(describeRelease(release))} exists with different content (sha256 ${shown(other.sha256) ?? 'unknown'}, ` +
        `yours ${file.sha256}): publish a new version. Torizon packages cannot be changed once published.`
    )
  }
  throw new ActionError(
    `${capitalize(describeRelease(release))} exists with the same content but for hardware IDs ` +
      `${list(other.hardwareIds)} (yours ${list(release.hardwareIds)}): publish a new version, or set hardware-id ` +
      'to match the published one.'
  )
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a)
  return left.size === new Set(b).size && b.every(x => left.has(x))
}

/** Hardware IDs as Torizon gave them, or as the inputs did (which are one line already). */
function list(values: string[]): string {
  return values.length > 0 ? oneLine(values.join(', '), 300) : '(none)'
}

/** A sha256 as Torizon gave it: any text, so one line and short. */
function shown(sha256: string | undefined): string | undefined {
  return sha256 === undefined ? undefined : oneLine(sha256, 80)
}
