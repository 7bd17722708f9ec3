/**
 * Mode deploy's inputs, as the runner passes them (every action.yml default under the step's
 * values): what it needs, what it refuses because it would do nothing there, and the deploy-only
 * inputs refused in every other mode.
 */
import { describe, expect, test } from '@jest/globals'
import { readActionYml, runnerInputs } from '../../sim/runner.js'
import { parseInputs, type DeployConfig } from '../../src/workato/inputs.js'
import { inputProblems } from '../action-inputs.js'

const env = { RUNNER_TEMP: '/runner/temp', GITHUB_WORKSPACE: '/work/repo' }
const declared = readActionYml().inputs
const deploy = {
  mode: 'deploy',
  'source-token': 'dev',
  'project-id': '41',
  'environment-type': 'prod'
}

function parse(given: Record<string, string>): DeployConfig {
  const all = runnerInputs(declared, given)
  return parseInputs(name => all[name] ?? '', env) as DeployConfig
}
const problems = (given: Record<string, string>): string[] => inputProblems(() => parse(given))

describe('mode deploy inputs', () => {
  test('the defaults: build and deploy to PROD, nothing looked at, no rollback', () => {
    expect(parse(deploy)).toMatchObject({
      mode: 'deploy',
      source: { baseUrl: 'https://www.workato.com', token: 'dev' },
      project: { projectId: '41' },
      environmentType: 'prod',
      rollbackOnFailure: false,
      artifactName: 'workato-build-project-41-prod',
      packagePath: '/runner/temp/workato-build-project-41-prod.zip'
    })
    expect(parse(deploy).target).toBeUndefined()
    expect(parse(deploy).buildId).toBeUndefined()
  })

  test('target-token is the environment’s, on the DEV host; a target-host elsewhere is refused', () => {
    const config = parse({ ...deploy, 'source-host': 'eu', 'target-token': 'prod' })
    expect(config.target).toEqual({ baseUrl: 'https://app.eu.workato.com', token: 'prod' })
    expect(
      parse({ ...deploy, 'source-host': 'eu', 'target-host': 'eu', 'target-token': 'p' }).target
        ?.baseUrl
    ).toBe('https://app.eu.workato.com')
    expect(problems({ ...deploy, 'target-host': 'jp', 'target-token': 'p' })).toEqual([
      expect.stringMatching(
        /^Input 'target-host' is not used in mode deploy: the environments are one workspace/
      )
    ])
  })

  test('project-folder-id as 410 or f410; build-id; environment-type in any case', () => {
    const config = parse({
      ...deploy,
      'project-id': '',
      'project-folder-id': 'f410',
      'environment-type': 'TEST',
      'build-id': '500'
    })
    expect(config).toMatchObject({
      project: { folderId: '410' },
      environmentType: 'test',
      buildId: '500'
    })
    expect(config.artifactName).toBe('workato-build-folder-410-test')
    expect(parse({ ...deploy, 'project-id': '', 'project-folder-id': '410' }).project).toEqual({
      folderId: '410'
    })
  })

  test.each([
    [{ 'project-id': '' }, "Input 'project-id' is required in mode deploy"],
    [{ 'project-folder-id': '410' }, "Input 'project-folder-id' and project-id are both set"],
    [
      { 'project-id': '', 'project-folder-id': 'g410' },
      "Input 'project-folder-id' must be a folder id, 123 or f123"
    ],
    [
      { 'environment-type': '' },
      "Input 'environment-type' is required in mode deploy: test or prod"
    ],
    [{ 'environment-type': 'dev' }, "Input 'environment-type' must be one of test, prod"],
    [{ 'build-id': 'latest' }, "Input 'build-id' must be a positive integer"],
    [{ 'source-token': '' }, "Input 'source-token' is empty (required in mode deploy)"],
    [{ 'manifest-id': '12' }, "Input 'manifest-id' is not used in mode deploy"],
    [{ 'folder-id': '34' }, "Input 'folder-id' is not used in mode deploy"],
    [{ 'source-folder-id': '7' }, "Input 'source-folder-id' is not used in mode deploy"],
    [{ snapshot: 'true' }, "Input 'snapshot' is not used in mode deploy"],
    [{ 'snapshot-manifest-id': '90' }, "Input 'snapshot-manifest-id' is not used in mode deploy"],
    [{ 'skip-unchanged': 'false' }, "Input 'skip-unchanged' is not used in mode deploy"],
    [{ 'start-new-recipes': 'true' }, "Input 'start-new-recipes' is not used in mode deploy"],
    [{ 'restart-recipes': 'true' }, "Input 'restart-recipes' is not used in mode deploy"],
    [{ 'include-tags': 'true' }, "Input 'include-tags' is not used in mode deploy"],
    [{ 'run-tests': 'true' }, "Input 'run-tests' is not used in mode deploy"],
    [{ 'package-sha256': 'a'.repeat(64) }, "Input 'package-sha256' is not used in mode deploy"],
    [
      { 'folder-id-for-home-assets': '5' },
      "Input 'folder-id-for-home-assets' is not used in mode deploy"
    ],
    [
      { 'build-id': '500', 'include-test-cases': 'true' },
      "Input 'include-test-cases' applies to a build this action makes"
    ]
  ])('%j is refused, naming the input, once', (given, said) => {
    const found = problems({ ...deploy, ...given })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(said)
  })

  test('an input set to its own default is not a mistake', () => {
    const given = {
      ...deploy,
      'skip-unchanged': 'true',
      'restart-recipes': 'false',
      snapshot: 'False'
    }
    expect(parse(given).mode).toBe('deploy')
  })

  test.each(['promote', 'export', 'import', 'plan'])(
    'mode %s refuses the deploy-only inputs',
    mode => {
      const given = {
        mode,
        'source-token': 's',
        'target-token': 't',
        'manifest-id': '12',
        'folder-id': '34',
        'package-path': '/tmp/p.zip',
        ...(mode === 'export' ? {} : { 'snapshot-manifest-id': '90' }),
        'project-id': '41',
        'build-id': '500'
      }
      const found = problems(given)
      expect(found).toEqual([
        `Input 'project-id' is used in mode deploy only (mode is ${mode})`,
        `Input 'build-id' is used in mode deploy only (mode is ${mode})`
      ])
    }
  )
})
