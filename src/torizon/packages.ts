/** Torizon Cloud's package calls: upload, look one up by exact name and version, roll it out. */
import { formatBytes, type FileFacts } from '../shared/package-file.js'
import { oneLine } from '../shared/text.js'
import { queryString, type TorizonApi } from './api.js'
import { ActionError } from '../shared/errors.js'
import { reachedBy, type Reached } from './devices.js'
import { DEFAULT_API_URL } from './inputs.js'

/** What Torizon says about a package; only the fields the action relies on. */
export interface PackageInfo {
  packageId: string
  name: string
  version: string
  size?: number
  sha256?: string
  hardwareIds: string[]
  createdAt?: string
}

export interface Release {
  name: string
  version: string
  hardwareIds: string[]
  targetFormat: string
}

/** Pages of GET /packages read at most, for one name and version (one page is the normal case). */
const MAX_PAGES = 10
const PAGE_SIZE = 50

/** Only what names a package on Torizon Cloud, out of a config (or anything holding it). */
export function releaseOf(config: Release): Release {
  const { name, version, hardwareIds, targetFormat } = config
  return { name, version, hardwareIds, targetFormat }
}

export function describeRelease(release: Release): string {
  return `version ${release.version} of ${release.name}`
}

/**
 * The defaults of the open-source repository server Torizon runs on (Torizon publishes no limits
 * of its own): one upload of about 512 MB at most (413 above), read within about 60 s (598).
 */
export const UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024
export const UPLOAD_LIMIT_SECONDS = 60

/** POST /packages with the file as the body; the answer is the stored Package. */
export async function uploadPackage(
  api: TorizonApi,
  release: Release,
  file: { path: string; size: number }
): Promise<{ stored: PackageInfo; sent: FileFacts }> {
  const query = queryString([
    ['name', release.name],
    ['version', release.version],
    ['targetFormat', release.targetFormat],
    ...release.hardwareIds.map((id): [string, string] => ['hardwareId', id])
  ])
  const size = formatBytes(file.size)
  const { answer, sent } = await api.upload(`/packages?${query}`, file, {
    what: `the upload of ${describeRelease(release)} (${size})`,
    check: 'Check package-name, package-version, hardware-id and target-format.',
    refusals: {
      // Torizon's gateway may reword the repository server's answer: the status is what is relied on.
      412:
        "Torizon Cloud's repository server answers 412 when the repository's signing keys are " +
        'offline, as Toradex recommends for production. The API can only publish to a repository it ' +
        'signs online: publish this package with `torizoncore-builder platform push` and the ' +
        "account's credentials.zip, which sign on your machine. Retrying will not help; nothing was published.",
      413:
        `the file (${size}) is over the largest upload Torizon Cloud takes (its repository server's ` +
        `default is about ${UPLOAD_LIMIT_BYTES >> 20} MiB, and the v2beta API offers no multipart upload). ` +
        'Make the package smaller; retrying will not help.',
      598:
        `Torizon Cloud stopped waiting for the file (${size}): its repository server gives one upload about ` +
        `${UPLOAD_LIMIT_SECONDS} s by default, so the link must carry the whole file within that. Publish a ` +
        'smaller file, or from a runner with a faster link to Torizon Cloud.'
    }
  })
  return { stored: identify(readPackage(answer, 'the upload'), release, 'upload'), sent }
}

/**
 * The packages Torizon holds under exactly this name and version. The list also holds packages
 * Toradex publishes, and its filters are matched again here rather than trusted.
 */
export async function findPackages(api: TorizonApi, release: Release): Promise<PackageInfo[]> {
  const found: PackageInfo[] = []
  for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
    const query = queryString([
      ['name', release.name],
      ['version', release.version],
      ['offset', String(offset)],
      ['limit', String(PAGE_SIZE)]
    ])
    const answer = await api.getJson(`/packages?${query}`, {
      what: `the look-up of ${describeRelease(release)}`
    })
    const values = Array.isArray(answer.values) ? answer.values : undefined
    if (!values) {
      throw new ActionError(
        `Torizon Cloud's list of packages has no "values" list: check api-url (Torizon Cloud's is ${DEFAULT_API_URL}, or /api/v2 in place of /api/v2beta).`
      )
    }
    for (const value of values) {
      const info = readPackage(value, 'the list of packages')
      // Toradex's packages listed beside this one are dropped: their IDs are never used or shown.
      if (info.name === release.name && info.version === release.version) {
        found.push(identify(info, release, 'list'))
      }
    }
    offset += values.length
    const total = Number(answer.total)
    if (values.length === 0 || !(offset < total)) return found
  }
  return found
}

export const ROLL_OUT_ANSWER_BYTES = 16 * 1024 * 1024

/** POST /updates: assigns the package to each fleet; the devices that took it, and those that did not. */
export async function rollOut(
  api: TorizonApi,
  packageId: string,
  fleets: string[]
): Promise<Reached> {
  const what = `the roll-out of ${packageId} to ${fleets.length} fleet${fleets.length === 1 ? '' : 's'}`
  const answer = await api.postJson(
    '/updates',
    { packageIds: [packageId], fleets },
    {
      what,
      check: 'Check fleet-id: each must be the UUID of a fleet of this account.',
      refusals: {
        403:
          "the API client may publish but not roll out. The client in torizoncore-builder's " +
          'credentials.zip has a token scoped to the package repository, which Torizon refuses on ' +
          "updates: set client-id and client-secret to an API client made in Torizon Cloud's web " +
          'UI, of the account that owns the fleets.',
        // declared by the spec on POST /updates (RangeNotSatisfiableRepr), never explained
        416:
          "Torizon's spec declares this answer for roll-outs without saying when it is given; " +
          'nothing was assigned. Check fleet-id, and roll out to fewer fleets at a time.'
      },
      // every device of the fleets is named, about 300 bytes each: room for fleets of 50,000
      maxAnswerBytes: ROLL_OUT_ANSWER_BYTES
    }
  )
  return reachedBy(answer, what)
}

/** Torizon names a package `name-version` (../shared/torizon-api.md). */
export function packageIdOf(release: Pick<Release, 'name' | 'version'>): string {
  return `${release.name}-${release.version}`
}

/** A package as the server described it, its ID not yet checked. */
type Described = Omit<PackageInfo, 'packageId'> & { givenId: unknown }

const FROM = {
  upload: ["Torizon Cloud's answer to the upload", 'uploaded under'],
  list: ["Torizon Cloud's list of packages", 'looked up by']
}

/**
 * The ID is printed, rolled out to fleets and becomes the package-id output, so it is never the
 * server's text but the release's own `name-version`; an answer that names another package, or
 * this one by another ID, cannot be trusted to describe what is there.
 */
function identify(described: Described, release: Release, from: keyof typeof FROM): PackageInfo {
  const { givenId, ...info } = described
  const expected = packageIdOf(release)
  const same = info.name === release.name && info.version === release.version
  if (same && (givenId === undefined || givenId === expected))
    return { packageId: expected, ...info }
  const named = !same
    ? packageIdOf(info)
    : typeof givenId === 'string'
      ? givenId
      : JSON.stringify(givenId)
  const [answer, how] = FROM[from]
  throw new ActionError(
    `${answer} names the package "${oneLine(named, 120)}", not ${expected}, the name and version it ` +
      `was ${how}: the answer cannot be trusted, and nothing was rolled out. Check the package in ` +
      'Torizon Cloud, and api-url.'
  )
}

function readPackage(value: unknown, where: string): Described {
  if (!value || typeof value !== 'object') {
    throw new ActionError(`Torizon Cloud's answer to ${where} is not a package.`)
  }
  const json = value as Record<string, unknown>
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const hashes =
    json.hashes && typeof json.hashes === 'object' ? (json.hashes as Record<string, unknown>) : {}
  const name = text(json.name)
  const version = text(json.version)
  if (name === undefined || version === undefined) {
    throw new ActionError(`Torizon Cloud's answer to ${where} has no package name and version.`)
  }
  return {
    givenId: json.packageId,
    name,
    version,
    size: typeof json.size === 'number' ? json.size : undefined,
    sha256: text(hashes.sha256)?.toLowerCase(),
    hardwareIds: Array.isArray(json.hardwareIds)
      ? json.hardwareIds.filter(h => typeof h === 'string')
      : [],
    createdAt: text(json.createdAt) && oneLine(String(json.createdAt), 40)
  }
}
