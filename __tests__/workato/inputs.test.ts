import { describe, expect, test } from '@jest/globals'
import { ACTION_INPUTS, inputProblems } from '../action-inputs.js'
import {
  INPUTS,
  parseInputs,
  SECRET_INPUTS,
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  type Config,
  type ImportConfig,
  type PlanConfig,
  type PromoteConfig
} from '../../src/workato/inputs.js'

/** Any mode's fields, optional: the tests look at what a mode has and what it leaves out. */
type AnyConfig = Config & Partial<Omit<PromoteConfig & ImportConfig & PlanConfig, 'mode'>>

const env = { RUNNER_TEMP: '/runner/temp', GITHUB_WORKSPACE: '/work/repo' }
const promote = {
  'source-token': 'src',
  'target-token': 'tgt',
  'manifest-id': '12',
  'folder-id': '34'
}

function parse(inputs: Record<string, string>): AnyConfig {
  return parseInputs(name => inputs[name] ?? '', env) as AnyConfig
}

const problems = (inputs: Record<string, string>): string[] => inputProblems(() => parse(inputs))

describe('parseInputs', () => {
  test('promote defaults', () => {
    const config = parse(promote)
    expect(config).toMatchObject({
      mode: 'promote',
      source: { baseUrl: 'https://www.workato.com', token: 'src' },
      target: { baseUrl: 'https://www.workato.com', token: 'tgt' },
      exportFrom: { manifestId: '12' },
      folderId: '34',
      restartRecipes: false,
      includeTags: false,
      uploadArtifact: true,
      artifactName: 'workato-package-12',
      packagePath: '/runner/temp/workato-package-12.zip',
      pollIntervalSeconds: DEFAULT_POLL_INTERVAL_SECONDS,
      waitTimeoutSeconds: DEFAULT_WAIT_TIMEOUT_SECONDS
    })
    expect(config.folderIdForHomeAssets).toBeUndefined()
    expect(config.retentionDays).toBeUndefined()
    expect(config.snapshot).toBeUndefined()
    expect(config.includeTestCases).toBe(false)
  })

  test('data-center codes and base URLs', () => {
    expect(parse({ ...promote, 'source-host': 'EU', 'target-host': 'cn' })).toMatchObject({
      source: { baseUrl: 'https://app.eu.workato.com' },
      target: { baseUrl: 'https://app.workatoapp.cn' }
    })
    expect(
      parse({ ...promote, 'source-host': 'https://workato.example.com/' }).source?.baseUrl
    ).toBe('https://workato.example.com')
    expect(parse({ ...promote, 'source-host': 'http://127.0.0.1:8080' }).source?.baseUrl).toBe(
      'http://127.0.0.1:8080'
    )
  })

  test.each([
    ['source-host', 'http://workato.example.com', 'https://'],
    ['source-host', 'moon', 'data-center code'],
    ['target-host', 'https://user:pw@workato.example.com', 'credentials'],
    ['target-host', 'https://workato.example.com/api/v1', 'without a path'],
    ['target-host', 'app.eu.workato.com', 'did you mean `eu` or `https://app.eu.workato.com`?'],
    ['target-host', 'ftp://workato.example.com', 'https://'],
    ['manifest-id', '0', 'positive integer'],
    ['manifest-id', '-3', 'positive integer'],
    ['manifest-id', '1.5', 'positive integer'],
    ['manifest-id', '99999999999999999999', 'positive integer'],
    ['folder-id', '../34', 'positive integer'],
    ['folder-id-for-home-assets', 'abc', 'positive integer'],
    ['restart-recipes', 'yes', 'true or false'],
    ['include-tags', '1', 'true or false'],
    ['upload-artifact', 'maybe', 'true or false'],
    ['poll-interval', '0', 'from 1 to 300'],
    ['poll-interval', '2.5', 'from 1 to 300'],
    ['wait-timeout', '100000', 'from 1 to 21600'],
    ['retention-days', '401', 'from 1 to 400'],
    ['artifact-name', 'a/b', 'must not contain'],
    ['source-token', 'abc def', 'printable ASCII'],
    ['target-token', 'tökén', 'printable ASCII'],
    ['target-token', 'Bearer wrk-abc', 'starts with "Bearer ": give the token alone'],
    ['package-path', 'out/', 'must name a file'],
    ['package-path', 'https://example.com/p.zip', 'not a URL'],
    ['artifact-name', 'n'.repeat(300), 'too long'],
    ['mode', 'release', 'one of promote, export, import, plan, deploy'],
    ['package-path', 'a\u0000b', 'NUL'],
    ['manifest-id', 'x'.repeat(5000), 'too long']
  ])('a bad %s is refused, naming the input', (input, value, problem) => {
    const found = problems({ ...promote, [input]: value })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`Input '${input}'`)
    expect(found[0]).toContain(problem)
    expect(found[0]).not.toContain('\n')
  })

  test('every bad input is reported at once', () => {
    expect(problems({})).toEqual([
      "Input 'source-token' is empty (required in mode promote): if it comes from a secret, this job cannot see it (an environment's secret needs environment: on the job; a fork's pull request gets none; check its name)",
      "Input 'target-token' is empty (required in mode promote): if it comes from a secret, this job cannot see it (an environment's secret needs environment: on the job; a fork's pull request gets none; check its name)",
      "Input 'manifest-id' is required in mode promote: give manifest-id (an export manifest of the source workspace) or source-folder-id (a folder, exported through a manifest this action makes)",
      "Input 'folder-id' is required in mode promote"
    ])
  })

  test('export mode needs no target; import mode needs no source and a package', () => {
    const exported = parse({ mode: 'export', 'source-token': 's', 'manifest-id': '5' })
    expect(exported.target).toBeUndefined()
    expect(exported.uploadArtifact).toBe(true)
    expect(problems({ mode: 'import', 'target-token': 't', 'folder-id': '5' })).toEqual([
      "Input 'package-path' is required in mode import: the zip to import (or give package-dir, a folder to zip)"
    ])
    const imported = parse({
      mode: 'import',
      'target-token': 't',
      'folder-id': '5',
      'package-path': 'pkg.zip'
    })
    expect(imported.source).toBeUndefined()
    expect(imported.packagePath).toBe('/work/repo/pkg.zip')
    const inTemp = parse({
      mode: 'import',
      'target-token': 't',
      'folder-id': '5',
      'package-path': '/runner/temp/x/p.zip'
    })
    expect(inTemp.packagePath).toBe('/runner/temp/x/p.zip')
  })

  test('package-path may be any file path the workflow can write, relative ones from the workspace', () => {
    const at = (value: string) => parse({ ...promote, 'package-path': value }).packagePath
    expect(at('/tmp/release.zip')).toBe('/tmp/release.zip')
    expect(at('../outside.zip')).toBe('/work/outside.zip')
    expect(at('/opt/runner/_work/packages/p.zip')).toBe('/opt/runner/_work/packages/p.zip')
  })

  test('rollback-on-failure: empty means on with a snapshot, off without; true without one is refused', () => {
    expect(parse({ ...promote, 'rollback-on-failure': '' }).rollbackOnFailure).toBe(false)
    const snapshot = { ...promote, 'snapshot-manifest-id': '90', 'rollback-on-failure': '' }
    expect(parse(snapshot).rollbackOnFailure).toBe(true)
    expect(parse({ ...snapshot, 'rollback-on-failure': 'false' }).rollbackOnFailure).toBe(false)
    expect(problems({ ...promote, 'rollback-on-failure': 'true' })).toEqual([
      "Input 'rollback-on-failure' needs a snapshot (snapshot: true, or snapshot-manifest-id): the snapshot is what is restored"
    ])
    // snapshot: true is a snapshot too
    expect(parse({ ...promote, snapshot: 'true' }).rollbackOnFailure).toBe(true)
    expect(parse({ ...promote, snapshot: 'true', 'rollback-on-failure': 'true' }).snapshot).toEqual(
      {
        folderId: '34'
      }
    )
  })

  describe('source-folder-id and snapshot: true, the manifests the action makes', () => {
    test('a folder instead of a manifest: exported from there, the artifact named after it', () => {
      const noManifest = { ...promote, 'manifest-id': '' }
      const config = parse({ ...noManifest, 'source-folder-id': '10' })
      expect(config.exportFrom).toEqual({ folderId: '10' })
      expect(config.artifactName).toBe('workato-package-folder-10')
    })

    test('both manifest-id and source-folder-id: one error naming both, nothing else', () => {
      expect(problems({ ...promote, 'source-folder-id': '10' })).toEqual([
        "Input 'source-folder-id' and manifest-id are both set: give one, the export manifest to export (manifest-id) or the folder to export (source-folder-id)"
      ])
    })

    test('a bad source-folder-id is named, and manifest-id is not then reported missing', () => {
      const noManifest = { ...promote, 'manifest-id': '' }
      expect(problems({ ...noManifest, 'source-folder-id': '../10' })).toEqual([
        'Input \'source-folder-id\' must be a positive integer (got "../10")'
      ])
    })

    test('source-folder-id in mode import: refused, nothing is exported there', () => {
      const base = {
        mode: 'import',
        'target-token': 't',
        'folder-id': '5',
        'package-path': 'p.zip'
      }
      expect(problems({ ...base, 'source-folder-id': '10' })).toEqual([
        "Input 'source-folder-id' is not used in mode import: nothing is exported"
      ])
    })

    test('snapshot: true with snapshot-manifest-id: one error naming both', () => {
      expect(problems({ ...promote, snapshot: 'true', 'snapshot-manifest-id': '90' })).toEqual([
        "Input 'snapshot-manifest-id' and snapshot: true are both set: give one, snapshot: true (a manifest this action makes for folder-id) or snapshot-manifest-id (one you keep in the target)"
      ])
    })

    test('snapshot: true in mode plan needs folder-id; in mode export it is refused', () => {
      const plan = { mode: 'plan', 'source-token': 's', 'target-token': 't', 'manifest-id': '12' }
      expect(problems({ ...plan, snapshot: 'true' })).toEqual([
        "Input 'folder-id' is required with snapshot: true: the target folder to snapshot"
      ])
      expect(parse({ ...plan, snapshot: 'true', 'folder-id': '34' }).snapshot).toEqual({
        folderId: '34'
      })
      expect(
        problems({ mode: 'export', 'source-token': 's', 'manifest-id': '1', snapshot: 'true' })
      ).toEqual(["Input 'snapshot' needs a target: use it with mode promote, import or plan"])
    })

    test('include-test-cases: for the manifests the action makes; with manifest-id alone refused', () => {
      const noManifest = { ...promote, 'manifest-id': '' }
      expect(
        parse({ ...noManifest, 'source-folder-id': '10', 'include-test-cases': 'true' })
          .includeTestCases
      ).toBe(true)
      expect(
        parse({ ...promote, snapshot: 'true', 'include-test-cases': 'true' }).includeTestCases
      ).toBe(true)
      expect(problems({ ...promote, 'include-test-cases': 'true' })).toEqual([
        "Input 'include-test-cases' applies to the manifests this action makes (source-folder-id, snapshot: true); a manifest given by manifest-id holds test cases when it was made with them"
      ])
    })
  })

  test('/api/ at the end of a base URL, as Workato prints them, is dropped', () => {
    const config = parse({ ...promote, 'target-host': 'https://app.eu.workato.com/api/' })
    expect(config.target?.baseUrl).toBe('https://app.eu.workato.com')
  })

  test('the snapshot artifact is named after the target folder, or the manifest in plan mode', () => {
    const snapshot = { ...promote, 'snapshot-manifest-id': '90' }
    expect(parse(snapshot).snapshotArtifactName).toBe('workato-package-12-snapshot-34')
    const plan = { ...snapshot, mode: 'plan', 'folder-id': '' }
    expect(parse(plan).snapshotArtifactName).toBe('workato-package-12-snapshot-manifest-90')
  })

  test('plan mode needs a snapshot manifest and a target, but no folder; export mode takes no snapshot', () => {
    const plan = { mode: 'plan', 'source-token': 's', 'target-token': 't', 'manifest-id': '12' }
    expect(problems(plan)).toEqual([
      "Input 'snapshot' is required in mode plan: set snapshot: true with folder-id (a manifest this action makes for the target folder), or give snapshot-manifest-id"
    ])
    const config = parse({ ...plan, 'snapshot-manifest-id': '90' })
    expect(config).toMatchObject({
      mode: 'plan',
      snapshot: { manifestId: '90' },
      skipUnchanged: true
    })
    expect(config.folderId).toBeUndefined()
    expect(
      problems({
        mode: 'export',
        'source-token': 's',
        'manifest-id': '1',
        'snapshot-manifest-id': '9'
      })
    ).toEqual([
      "Input 'snapshot-manifest-id' needs a target: use it with mode promote, import or plan"
    ])
    expect(
      problems({ ...plan, 'snapshot-manifest-id': '9', 'skip-unchanged': 'sometimes' })[0]
    ).toContain("Input 'skip-unchanged' must be true or false")
  })

  test('package-sha256 only in import mode, 64 hex characters, sha256: prefix allowed', () => {
    const base = { mode: 'import', 'target-token': 't', 'folder-id': '5', 'package-path': 'p.zip' }
    const sha = 'AB'.repeat(32)
    expect(parse({ ...base, 'package-sha256': `sha256:${sha}` }).packageSha256).toBe(
      sha.toLowerCase()
    )
    expect(problems({ ...base, 'package-sha256': 'abc' })[0]).toContain('64 hexadecimal')
    expect(problems({ ...promote, 'package-sha256': sha })[0]).toContain(
      'only checked in mode import'
    )
  })

  test('values are trimmed and booleans accept YAML spellings', () => {
    const config = parse({
      ...promote,
      'manifest-id': ' 12 ',
      'restart-recipes': 'True',
      'include-tags': 'TRUE'
    })
    expect(config.exportFrom).toEqual({ manifestId: '12' })
    expect(config.restartRecipes).toBe(true)
    expect(config.includeTags).toBe(true)
  })

  test('a value that would inject a workflow command is quoted on one line', () => {
    const [message] = problems({
      ...promote,
      'manifest-id': '1\n::set-output name=outcome::succeeded'
    })
    expect(message).not.toMatch(/\n/)
    expect(message).toContain("Input 'manifest-id'")
  })

  test("the declared inputs are exactly action.yml's, and every one of them is read", () => {
    // the list the action refuses other INPUT_* variables by: it must not drift from action.yml
    expect([...INPUTS]).toEqual(ACTION_INPUTS)
    expect(ACTION_INPUTS).toEqual(expect.arrayContaining([...SECRET_INPUTS]))
    // a declared input no mode reads would be silently ignored, as a misspelt one was
    const read = new Set<string>()
    for (const mode of ['promote', 'export', 'import', 'plan']) {
      try {
        parseInputs(name => {
          read.add(name)
          return name === 'mode' ? mode : ''
        }, env)
      } catch {
        // the missing required inputs are refused; only which names were read matters here
      }
    }
    expect([...read].sort()).toEqual([...ACTION_INPUTS].sort())
  })
})
