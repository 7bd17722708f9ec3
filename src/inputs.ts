import * as path from 'node:path'
import * as os from 'node:os'
import { InputError, InputErrors } from './shared/errors.js'
import { resolveHost } from './workato/hosts.js'

export type Mode = 'promote' | 'export' | 'import' | 'plan'

export interface Endpoint {
  baseUrl: string
  token: string
}

export interface Config {
  mode: Mode
  source?: Endpoint
  target?: Endpoint
  manifestId?: string
  folderId?: string
  restartRecipes: boolean
  includeTags: boolean
  folderIdForHomeAssets?: string
  /** An export manifest in the target covering the target folder: its export is the snapshot. */
  snapshotManifestId?: string
  skipUnchanged: boolean
  /** Import the snapshot back if the import fails (only with a snapshot). */
  rollbackOnFailure: boolean
  packagePath: string
  packageSha256?: string
  uploadArtifact: boolean
  artifactName: string
  /** The snapshot's artifact: named after the target, so two targets in one run do not clash. */
  snapshotArtifactName: string
  retentionDays?: number
  pollIntervalSeconds: number
  waitTimeoutSeconds: number
  /** No package (download or file to import) may be larger. */
  maxPackageBytes: number
}

/**
 * Defaults, and why:
 * - poll-interval 10 s: after the first minute a job is checked 6 times a minute, a tenth of
 *   Workato's 60 requests/minute, and completion is seen at most 10 s late.
 * - wait-timeout 1800 s: large imports take minutes and Workato asks for room between them;
 *   30 minutes covers that without holding a runner for GitHub's 6-hour job limit.
 */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 1800
/** Ten times Workato's documented 100 MB import limit: room for error, and a bound on the disk. */
export const DEFAULT_MAX_PACKAGE_MB = 1024
const MB = 1024 * 1024

const MODES: readonly Mode[] = ['promote', 'export', 'import', 'plan']
const MAX_INPUT_LENGTH = 4096
const ARTIFACT_NAME_FORBIDDEN = /[":<>|*?\r\n\\/]/
const MAX_ARTIFACT_NAME = 200
/** Linux and macOS refuse longer file or folder names (ENAMETOOLONG). */
const MAX_NAME_BYTES = 255

type Getter = (name: string) => string

/** Parses and checks every input at once, so all mistakes are reported before any request. */
export function parseInputs(get: Getter, env: NodeJS.ProcessEnv = process.env): Config {
  const errors: InputError[] = []
  const fail = (input: string, problem: string): undefined => {
    // One line per input: the first thing wrong with it is the one to fix.
    if (!errors.some(e => e.input === input)) errors.push(new InputError(input, problem))
    return undefined
  }
  const read = (name: string): string => {
    const value = get(name).trim()
    if (value.length > MAX_INPUT_LENGTH) {
      fail(name, `is too long (${value.length} characters, at most ${MAX_INPUT_LENGTH})`)
      return ''
    }
    return value
  }

  const modeText = read('mode') || 'promote'
  const mode = MODES.find(m => m === modeText.toLowerCase())
  if (!mode) fail('mode', `must be one of ${MODES.join(', ')} (got ${quote(modeText)})`)
  const exporting = mode === 'promote' || mode === 'export' || mode === 'plan'
  const importing = mode === 'promote' || mode === 'import'
  // plan reads the target (its snapshot) without importing into it
  const targeting = importing || mode === 'plan'

  const endpoint = (side: 'source' | 'target', needed: boolean): Endpoint | undefined => {
    const hostText = read(`${side}-host`) || 'us'
    const token = read(`${side}-token`)
    if (!needed) return undefined
    const host = resolveHost(hostText)
    if ('problem' in host) fail(`${side}-host`, host.problem)
    if (!token) fail(`${side}-token`, `is required in mode ${mode}`)
    else if (!/^[\x21-\x7e]+$/.test(token)) {
      // It goes into an HTTP header: printable ASCII only, which every Workato token is.
      fail(`${side}-token`, 'must be printable ASCII without spaces or line breaks')
    }
    return 'url' in host && token ? { baseUrl: host.url, token } : undefined
  }
  const source = endpoint('source', exporting)
  const target = endpoint('target', targeting)

  const id = (name: string, needed: boolean): string | undefined => {
    const text = read(name)
    if (!text) return needed ? fail(name, `is required in mode ${mode}`) : undefined
    if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
      return fail(name, `must be a positive integer (got ${quote(text)})`)
    }
    return text
  }
  const manifestId = id('manifest-id', exporting)
  const folderId = id('folder-id', importing)
  const snapshotManifestId = id('snapshot-manifest-id', mode === 'plan')
  if (snapshotManifestId && mode === 'export') {
    fail('snapshot-manifest-id', 'needs a target: use it with mode promote, import or plan')
  }
  const folderIdForHomeAssets = id('folder-id-for-home-assets', false)

  const bool = (name: string, fallback: boolean): boolean => {
    const text = read(name)
    if (!text) return fallback
    if (/^(true|True|TRUE)$/.test(text)) return true
    if (/^(false|False|FALSE)$/.test(text)) return false
    fail(name, `must be true or false (got ${quote(text)})`)
    return fallback
  }
  const restartRecipes = bool('restart-recipes', false)
  const includeTags = bool('include-tags', false)
  const uploadArtifact = bool('upload-artifact', true)
  const skipUnchanged = bool('skip-unchanged', true)
  // Empty means "on when there is a snapshot to restore": a default of true would refuse every
  // run without one, since the runner passes every default.
  const rollbackOnFailure = bool('rollback-on-failure', !!snapshotManifestId)
  if (rollbackOnFailure && !snapshotManifestId && importing) {
    fail('rollback-on-failure', 'needs snapshot-manifest-id: the snapshot is what is restored')
  }

  const seconds = (name: string, fallback: number, max: number): number => {
    const text = read(name)
    if (!text) return fallback
    const n = Number(text)
    if (!/^[0-9]+$/.test(text) || n < 1 || n > max) {
      fail(name, `must be a whole number of seconds from 1 to ${max} (got ${quote(text)})`)
      return fallback
    }
    return n
  }
  const maxPackageText = read('max-package-mb')
  let maxPackageBytes = DEFAULT_MAX_PACKAGE_MB * MB
  if (maxPackageText) {
    const mb = Number(maxPackageText)
    if (!/^[0-9]+$/.test(maxPackageText) || mb < 1 || mb > 10_240) {
      fail(
        'max-package-mb',
        `must be a whole number of MB from 1 to 10240 (got ${quote(maxPackageText)})`
      )
    } else maxPackageBytes = mb * MB
  }
  const pollIntervalSeconds = seconds('poll-interval', DEFAULT_POLL_INTERVAL_SECONDS, 300)
  const waitTimeoutSeconds = seconds('wait-timeout', DEFAULT_WAIT_TIMEOUT_SECONDS, 6 * 3600)

  let retentionDays: number | undefined
  const retentionText = read('retention-days')
  if (retentionText) {
    retentionDays = Number(retentionText)
    if (!/^[0-9]+$/.test(retentionText) || retentionDays < 1 || retentionDays > 400) {
      fail(
        'retention-days',
        `must be a whole number of days from 1 to 400 (got ${quote(retentionText)})`
      )
    }
  }

  const artifactName = read('artifact-name') || `workato-package-${manifestId ?? 'import'}`
  if (ARTIFACT_NAME_FORBIDDEN.test(artifactName)) {
    fail('artifact-name', 'must not contain any of " : < > | * ? \\ / or line breaks')
  } else if (Buffer.byteLength(artifactName) > MAX_ARTIFACT_NAME) {
    // it names files too (<name>.zip, <name>-snapshot-<folder>.zip): room for those suffixes
    fail('artifact-name', `is too long (at most ${MAX_ARTIFACT_NAME} bytes)`)
  }
  const snapshotArtifactName = `${artifactName}-snapshot-${folderId ?? `manifest-${snapshotManifestId}`}`

  // Any file the workflow can write: its author writes every input and any `run:` step already,
  // so confining the path would protect nothing and break /tmp/release.zip and self-hosted runners.
  const packagePathText = read('package-path')
  let packagePath = ''
  if (packagePathText.includes('\0') || /[\r\n]/.test(packagePathText)) {
    fail('package-path', 'must not contain line breaks or NUL characters')
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(packagePathText)) {
    fail('package-path', 'must be a file path, not a URL')
  } else if (/[/\\]$/.test(packagePathText)) {
    fail('package-path', `must name a file, not a folder (got ${quote(packagePathText)})`)
  } else if (
    packagePathText.split(/[/\\]/).some(part => Buffer.byteLength(part) > MAX_NAME_BYTES)
  ) {
    fail('package-path', `has a file or folder name longer than ${MAX_NAME_BYTES} bytes`)
  } else if (packagePathText) {
    packagePath = path.resolve(env.GITHUB_WORKSPACE || process.cwd(), packagePathText)
  } else if (mode === 'import') {
    fail('package-path', 'is required in mode import: the zip to import')
  } else {
    packagePath = path.join(env.RUNNER_TEMP || os.tmpdir(), `${artifactName}.zip`)
  }

  const shaText = read('package-sha256').replace(/^sha256:/i, '')
  let packageSha256: string | undefined
  if (shaText) {
    if (mode !== 'import') {
      fail('package-sha256', 'is only checked in mode import; remove it or set mode: import')
    } else if (!/^[0-9a-fA-F]{64}$/.test(shaText)) {
      fail('package-sha256', 'must be 64 hexadecimal characters (a sha256 digest)')
    } else {
      packageSha256 = shaText.toLowerCase()
    }
  }

  if (errors.length > 0 || !mode) throw new InputErrors(errors)
  return {
    mode,
    source,
    target,
    manifestId,
    folderId,
    restartRecipes,
    includeTags,
    folderIdForHomeAssets,
    snapshotManifestId,
    skipUnchanged,
    rollbackOnFailure,
    packagePath,
    packageSha256,
    uploadArtifact,
    artifactName,
    snapshotArtifactName,
    retentionDays,
    pollIntervalSeconds,
    waitTimeoutSeconds,
    maxPackageBytes
  }
}

/**
 * Quotes a user value for an error line: whole when it is short and does not look like a secret,
 * else not at all (its length only), since a token pasted into the wrong input must not be
 * printed, not even in part: the runner masks only secrets it knows, and only whole.
 */
export function quote(value: string): string {
  // Control and format characters (NUL, bidi overrides …) are shown as '?': one short line.
  const line = value.replace(/[\r\n]+/g, ' ').replace(/\p{C}/gu, '?')
  if (line.length > MAX_QUOTED || looksSecret(line)) {
    return `a value of ${[...value].length} characters, not shown`
  }
  return JSON.stringify(line)
}

const MAX_QUOTED = 40

/** Long runs of token characters mixing letters and digits: what API tokens look like. */
function looksSecret(value: string): boolean {
  return /[A-Za-z0-9_\-+/=.~]{16,}/.test(value) && /[A-Za-z]/.test(value) && /[0-9]/.test(value)
}
