/** The Torizon action's inputs, each read once and checked before any request. */
import { InputReader, need } from '../shared/inputs.js'

export const DEFAULT_TOKEN_URL =
  'https://kc.torizon.io/auth/realms/ota-users/protocol/openid-connect/token'
export const DEFAULT_API_URL = 'https://app.torizon.io/api/v2beta'

/**
 * Every input torizon/action.yml declares, in its order; any other INPUT_* variable is a
 * mistake. Kept here, with a test holding it equal to torizon/action.yml, so the bundle needs
 * nothing outside torizon/dist/ (nor a YAML parser) to know them.
 */
export const INPUTS = [
  'client-id',
  'client-secret',
  'token-url',
  'api-url',
  'package-path',
  'package-name',
  'package-version',
  'hardware-id',
  'target-format',
  'fleet-id',
  'upload-artifact',
  'artifact-name',
  'retention-days',
  'require-digests'
] as const
export const SECRET_INPUTS = ['client-secret'] as const satisfies readonly Input[]
/** The reader takes only these names: code cannot read an input the runner never passes. */
type Input = (typeof INPUTS)[number]

export interface Config {
  clientId: string
  clientSecret: string
  tokenUrl: string
  apiUrl: string
  packagePath: string
  name: string
  version: string
  hardwareIds: string[]
  targetFormat: string
  fleetIds: string[]
  uploadArtifact: boolean
  artifactName: string
  retentionDays?: number
  /** A compose file's images must be pinned by digest: fail before uploading otherwise. */
  requireDigests: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Torizon publishes no limits for names and versions; these only keep out what cannot be right. */
const MAX_NAME_LENGTH = 255

export function parseInputs(
  get: (name: string) => string,
  env: NodeJS.ProcessEnv = process.env
): Config {
  const inputs = new InputReader<Input>(get)
  const clientId = inputs.secret('client-id', 'as the API client of your Torizon Cloud account')
  const clientSecret = inputs.secret('client-secret', 'as the secret of that API client')
  const tokenUrl = inputs.url('token-url', DEFAULT_TOKEN_URL)
  const apiUrl = inputs.url('api-url', DEFAULT_API_URL)
  if (apiUrl !== undefined && !/\/[^/]/.test(new URL(apiUrl).pathname)) {
    inputs.fail('api-url', `has no path: Torizon Cloud's API is at ${DEFAULT_API_URL} (or /api/v2)`)
  }
  const packagePath = inputs.filePath('package-path', env.GITHUB_WORKSPACE || process.cwd())
  if (!inputs.text('package-path')) inputs.fail('package-path', 'is required: the file to publish')
  const name = label(inputs, 'package-name')
  const version = label(inputs, 'package-version')
  const hardwareIds = inputs.list('hardware-id', ['docker-compose'])
  for (const id of hardwareIds) {
    if (/\p{C}/u.test(id) || id.length > MAX_NAME_LENGTH) {
      inputs.fail('hardware-id', 'has a value with control characters or over 255 characters')
    }
  }
  const targetFormat = (inputs.text('target-format') || 'BINARY').toUpperCase()
  if (targetFormat === 'OSTREE') {
    inputs.fail(
      'target-format',
      'is OSTREE, which this action cannot publish: OS images are OSTree commits that ' +
        "`torizoncore-builder` pushes to Torizon's OSTree repository, never a file upload. Use " +
        'torizoncore-builder for OS images, and BINARY (the default) for files'
    )
  } else if (targetFormat !== 'BINARY') {
    inputs.fail('target-format', 'must be BINARY, the format of a file upload (the default)')
  }
  const fleetIds = inputs.list('fleet-id')
  const notUuid = fleetIds.find(id => !UUID.test(id))
  if (notUuid !== undefined) {
    inputs.fail('fleet-id', 'must be fleet UUIDs (from the fleet page), separated by commas')
  }
  const uploadArtifact = inputs.bool('upload-artifact', false)
  const artifactName = inputs.artifactName(
    'artifact-name',
    `torizon-package-${name ?? 'package'}-${version ?? ''}`.replace(/[":<>|*?\r\n\\/]/g, '-')
  )
  const retentionDays = inputs.count('retention-days', 'days', 400)
  const requireDigests = inputs.bool('require-digests', false)
  inputs.check()
  return {
    clientId: need(clientId),
    clientSecret: need(clientSecret),
    tokenUrl: need(tokenUrl),
    apiUrl: need(apiUrl),
    packagePath: need(packagePath),
    name: need(name),
    version: need(version),
    hardwareIds,
    targetFormat,
    fleetIds: fleetIds.map(id => id.toLowerCase()),
    uploadArtifact,
    artifactName,
    retentionDays,
    requireDigests
  }
}

/** A package name or version: any text on one line; the query string carries it encoded. */
function label(inputs: InputReader<Input>, name: Input): string | undefined {
  const value = inputs.text(name)
  if (!value) return inputs.fail(name, 'is required')
  if (/\p{C}/u.test(value)) return inputs.fail(name, 'must not contain control characters')
  if (value.length > MAX_NAME_LENGTH) {
    return inputs.fail(name, `is too long (at most ${MAX_NAME_LENGTH} characters)`)
  }
  return value
}
