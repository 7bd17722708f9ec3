import { describe, expect, test } from '@jest/globals'
import { inputProblems, TORIZON_INPUTS } from '../action-inputs.js'
import {
  DEFAULT_API_URL,
  DEFAULT_TOKEN_URL,
  INPUTS,
  parseInputs,
  SECRET_INPUTS
} from '../../src/torizon/inputs.js'

const env = { GITHUB_WORKSPACE: '/work/repo' }
const given = {
  'client-id': 'ci-publisher',
  'client-secret': 'tzs_secret',
  'package-path': 'build/docker-compose.yml',
  'package-name': 'acme-app',
  'package-version': '1.4.0'
}

const parse = (inputs: Record<string, string>) => parseInputs(name => inputs[name] ?? '', env)

const problems = (inputs: Record<string, string>): string[] => inputProblems(() => parse(inputs))

describe('torizon parseInputs', () => {
  test('defaults: Torizon Cloud, docker-compose, BINARY, no fleets, no artifact', () => {
    expect(parse(given)).toEqual({
      clientId: 'ci-publisher',
      clientSecret: 'tzs_secret',
      tokenUrl: DEFAULT_TOKEN_URL,
      apiUrl: DEFAULT_API_URL,
      packagePath: '/work/repo/build/docker-compose.yml',
      requireDigests: false,
      name: 'acme-app',
      version: '1.4.0',
      hardwareIds: ['docker-compose'],
      targetFormat: 'BINARY',
      fleetIds: [],
      uploadArtifact: false,
      artifactName: 'torizon-package-acme-app-1.4.0',
      retentionDays: undefined
    })
  })

  test('lists: commas or line breaks, trimmed, repeats dropped; fleet UUIDs in lower case', () => {
    const config = parse({
      ...given,
      'hardware-id': 'verdin-imx8mp,\n apalis-imx6 ,verdin-imx8mp,,',
      'fleet-id': '0B1F6A52-3C9E-4D7A-9F21-7E5C8D4B2A10\n'
    })
    expect(config.hardwareIds).toEqual(['verdin-imx8mp', 'apalis-imx6'])
    expect(config.fleetIds).toEqual(['0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10'])
  })

  test('a trailing slash on api-url is dropped (paths are appended to it)', () => {
    expect(parse({ ...given, 'api-url': 'https://app.torizon.io/api/v2beta/' }).apiUrl).toBe(
      'https://app.torizon.io/api/v2beta'
    )
  })

  test("the newest spec's /api/v2 is taken as given; an api-url with no path is refused", () => {
    expect(parse({ ...given, 'api-url': 'https://app.torizon.io/api/v2' }).apiUrl).toBe(
      'https://app.torizon.io/api/v2'
    )
    for (const pasted of ['https://app.torizon.io', 'https://app.torizon.io/']) {
      expect(problems({ ...given, 'api-url': pasted })).toEqual([
        "Input 'api-url' has no path: Torizon Cloud's API is at https://app.torizon.io/api/v2beta (or /api/v2)"
      ])
    }
  })

  test('target-format: BINARY in any case; OSTREE refused with what to use instead; nothing else', () => {
    expect(parse({ ...given, 'target-format': 'binary' }).targetFormat).toBe('BINARY')
    expect(problems({ ...given, 'target-format': 'ostree' })).toEqual([
      "Input 'target-format' is OSTREE, which this action cannot publish: OS images are OSTree commits " +
        "that `torizoncore-builder` pushes to Torizon's OSTree repository, never a file upload. Use " +
        'torizoncore-builder for OS images, and BINARY (the default) for files'
    ])
    expect(problems({ ...given, 'target-format': 'ZIP' })).toEqual([
      "Input 'target-format' must be BINARY, the format of a file upload (the default)"
    ])
  })

  test('an artifact name made from a name with a slash stays a valid artifact name', () => {
    expect(parse({ ...given, 'package-name': 'team/app' }).artifactName).toBe(
      'torizon-package-team-app-1.4.0'
    )
  })

  test('every mistake at once, one line per input', () => {
    expect(
      problems({
        'client-secret': 'has a space',
        'token-url': 'https://user:pw@kc.torizon.io/token',
        'api-url': 'ftp://app.torizon.io',
        'package-version': 'v1\u0000',
        'hardware-id': 'ok,bad\u0007',
        'fleet-id': 'production',
        'retention-days': '0'
      })
    ).toEqual([
      "Input 'client-id' is empty (required as the API client of your Torizon Cloud account): if it comes from a secret, this job cannot see it (an environment's secret needs environment: on the job; a fork's pull request gets none; check its name)",
      "Input 'client-secret' must be printable ASCII without spaces or line breaks",
      "Input 'token-url' must not contain credentials; they have inputs of their own",
      "Input 'api-url' must use https:// (plain http:// only for loopback hosts)",
      "Input 'package-path' is required: the file to publish",
      "Input 'package-name' is required",
      "Input 'package-version' must not contain control characters",
      "Input 'hardware-id' has a value with control characters or over 255 characters",
      "Input 'fleet-id' must be fleet UUIDs (from the fleet page), separated by commas",
      'Input \'retention-days\' must be a whole number of days from 1 to 400 (got "0")'
    ])
  })

  test('a secret pasted with its Bearer prefix is refused before anything is sent', () => {
    expect(problems({ ...given, 'client-secret': 'Bearer abc' })).toEqual([
      `Input 'client-secret' starts with "Bearer ": give the token alone, the action adds the prefix`
    ])
  })

  test('a query on a URL is refused: it would be lost when paths are appended', () => {
    expect(problems({ ...given, 'api-url': 'https://app.torizon.io/api/v2beta?x=1' })).toEqual([
      "Input 'api-url' must not have a query or a fragment"
    ])
  })

  test("the declared inputs are exactly torizon/action.yml's, and every one of them is read", () => {
    // the list the action refuses other INPUT_* variables by: it must not drift from action.yml
    expect([...INPUTS]).toEqual(TORIZON_INPUTS)
    expect(TORIZON_INPUTS).toEqual(expect.arrayContaining([...SECRET_INPUTS]))
    // a declared input the parser does not read would be silently ignored, as a misspelt one was
    const read = new Set<string>()
    parseInputs(name => {
      read.add(name)
      return given[name as keyof typeof given] ?? ''
    }, env)
    expect([...read].sort()).toEqual([...TORIZON_INPUTS].sort())
  })
})
