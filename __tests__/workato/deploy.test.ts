/**
 * Mode deploy, the whole action in process against the simulator's Environments workspace (DEV,
 * TEST, PROD): the build and its keeping, the deployment and Workato's states, the re-run rule,
 * the environment looked at through target-token, and rollback by redeployment. Through the
 * bundle: e2e/deploy.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import {
  bigTarget,
  deployInputs,
  DEV_TOKEN,
  PROD_PROJECT_FOLDER_ID,
  PROD_TOKEN,
  PROJECT_FOLDER_ID,
  PROJECT_ID,
  SOURCE_TOKEN,
  TEST_TOKEN
} from '../../sim/scenario.js'
import { WORKATO_QUOTAS } from '../../sim/workato.js'
import { packageUsing } from '../../sim/zip.js'
import { phaseOf } from '../../src/workato/projects.js'
import { jsonOutput } from '../e2e/run-values.js'
import { errorLines, hasStackTrace, useWorld } from '../e2e/world.js'

const world = useWorld({ runner: 'in-process' })
const deploy = (overrides: Record<string, string> = {}) => deployInputs(world.sim, overrides)
const prodLook = { 'target-token': PROD_TOKEN }
const warnings = (log: string) => log.split('\n').filter(l => l.startsWith('::warning::'))
const requests = (method: string, pattern: RegExp) =>
  world.sim.requests.filter(r => r.method === method && pattern.test(r.url))
const deployPosts = () => requests('POST', /^\/api\/project_builds\/\d+\/deploy\?/)
const buildPosts = () => requests('POST', /^\/api\/projects\/[^/]+\/build$/)
const api = () => world.sim.projects
const prod = () => world.sim.workspace('env-prod')

describe('states', () => {
  test('only success is done well; pending waits; anything else is unknown, never success', () => {
    expect(phaseOf('success')).toBe('success')
    expect(phaseOf('failed')).toBe('failed')
    expect(phaseOf('pending')).toBe('running')
    expect(phaseOf('pending_review')).toBe('unknown')
    expect(phaseOf('SUCCESS')).toBe('unknown')
    expect(phaseOf('constructor')).toBe('unknown')
  })
})

describe('build and deploy', () => {
  test('builds in DEV, keeps the zip, deploys it to PROD; descriptions name repository, commit, run and attempt', async () => {
    const run = await world.run(deploy(), {
      env: { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }
    })

    expect(errorLines(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    const [build] = api().builds
    const [deployment] = api().deployments
    expect(run.outputs['build-id']).toBe(String(build?.id))
    expect(run.outputs['deployment-id']).toBe(String(deployment?.id))
    expect(build?.description).toBe(
      'workato-promote acme/workato-release commit 0123456789ab run 16000000001 attempt 1: build for PROD'
    )
    expect(deployment?.description).toBe(
      `workato-promote acme/workato-release commit 0123456789ab run 16000000001 attempt 1: deploy build ${build?.id} to PROD`
    )
    expect(deployment?.environmentType).toBe('prod')
    // the zip kept is the build's, byte for byte, and read as a package
    expect(run.outputs['package-sha256']).toMatch(/^[0-9a-f]{64}$/)
    const inventory = jsonOutput(run, 'inventory') as Array<{ type: string; name: string }>
    expect(inventory.filter(a => a.type === 'recipe').map(a => a.name)).toEqual([
      'Nightly export',
      'Sync accounts'
    ])
    expect(run.summary).toContain(
      `## ✅ Deployed to PROD: build \`${build?.id}\` of project "Order sync"`
    )
    expect(run.summary).toContain('Nothing was checked in PROD')
    // every Projects call is one of Projects & folders', with the DEV token
    expect(world.sim.callsBy('folders', DEV_TOKEN)).toBe(
      world.sim.requests.filter(r => r.url.match(/^\/api\/(projects|project_builds|deployments)/))
        .length
    )
  })

  test('project-folder-id is sent as f<id>, and f<id> is accepted as the input', async () => {
    const run = await world.run(
      deploy({ 'project-id': '', 'project-folder-id': `f${PROJECT_FOLDER_ID}` })
    )

    expect(run.code).toBe(0)
    expect(buildPosts().map(r => r.url)).toEqual([`/api/projects/${PROJECT_ID}/build`])
    const again = await world.run(
      deploy({
        'project-id': '',
        'project-folder-id': PROJECT_FOLDER_ID,
        'artifact-name': 'second'
      }),
      { env: { GITHUB_RUN_ID: '16000000002' } }
    )
    expect(again.code).toBe(0)
  })

  test('a workspace without Environments: an input error that points at mode promote, before any build', async () => {
    const run = await world.run(deploy({ 'source-token': SOURCE_TOKEN }))

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      'Input \'mode\' is deploy, but the source workspace has no Workato Environments (Workato answered "400 Environments not provisioned")'
    )
    expect(errorLines(run).at(-1)).toContain('Use mode: promote')
    expect(buildPosts()).toEqual([])
    expect(hasStackTrace(run)).toBe(false)
  })

  test('a project DEV does not have: named, nothing built', async () => {
    const run = await world.run(deploy({ 'project-id': '999' }))

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      'Project 999 was not found among the 1 project of the DEV environment'
    )
    expect(buildPosts()).toEqual([])
  })

  test('a failed build: Workato’s words, nothing deployed', async () => {
    api().buildOutcome = { ms: 0, state: 'failed', error: 'Recipe "Sync accounts" has errors' }
    const run = await world.run(deploy())

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      'Workato could not build project 41 ("Order sync"): build 500 is failed: "Recipe "Sync accounts" has errors". Nothing was deployed.'
    )
    expect(deployPosts()).toEqual([])
  })

  test('a build that takes a while is waited on; a deployment too', async () => {
    api().buildOutcome = { ms: 1_500, state: 'success' }
    api().deployOutcome = { ms: 1_500, state: 'success' }
    const run = await world.run(deploy())

    expect(run.code).toBe(0)
    expect(requests('GET', /^\/api\/project_builds\/\d+$/).length).toBeGreaterThan(1)
    expect(requests('GET', /^\/api\/deployments\/\d+$/).length).toBeGreaterThan(1)
    expect(deployPosts()).toHaveLength(1)
  })

  test('a failed deployment fails the job with Workato’s words', async () => {
    api().deployOutcome = { ms: 0, state: 'failed', error: 'Connection CRM is not valid in PROD' }
    const run = await world.run(deploy())

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run).at(-1)).toContain(
      'Workato could not deploy build 500 to PROD (deployment 800 is failed): "Connection CRM is not valid in PROD".'
    )
    expect(run.summary).toContain('## ❌ Deployment to PROD failed')
  })

  test('a failed deployment Workato gives no reason for still says where to look', async () => {
    api().deployOutcome = { ms: 0, state: 'failed', error: 'hidden' }
    api().failureField = 'none'
    const run = await world.run(deploy())

    expect(errorLines(run).at(-1)).toContain(
      'Workato gives no reason in its answer; open the deployment in Workato.'
    )
  })

  test('an unknown state (the review beta’s pending_review) is named, waited on, and never a success', async () => {
    api().deployOutcome = { ms: 0, state: 'pending_review' }
    const run = await world.run(deploy({ 'wait-timeout': '2' }), {
      env: { WORKATO_PROMOTE_CLOCK_SCALE: '0.1' }
    })

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    expect(warnings(run.stdout).filter(w => w.includes('"pending_review"'))).toHaveLength(1)
    expect(errorLines(run).at(-1)).toMatch(
      /Deployment 800 to PROD was still "pending_review" after \d+ s \(wait-timeout\)\. It may still go on in Workato/
    )
  })
})

describe('keeping the build', () => {
  test('a download_url to plain http elsewhere is refused, and the token never goes there', async () => {
    api().downloadUrl = 'http://storage.example.com/build.zip?sig=abc'
    const run = await world.run(deploy())

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain('only https is followed')
    expect(deployPosts()).toEqual([])
  })

  test('a download_url that is not a web URL is refused', async () => {
    api().downloadUrl = 'file:///etc/passwd'
    const run = await world.run(deploy())

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain('file:// refused')
    expect(run.stdout).not.toContain('/etc/passwd')
  })

  test('the pre-signed URL goes to storage without the token, and is never printed', async () => {
    const run = await world.run(deploy())

    const storage = world.sim.requests.filter(r => r.host === 'storage')
    expect(storage).toHaveLength(1)
    expect(storage[0]?.headers.authorization).toBeUndefined()
    expect(run.stdout + run.summary).not.toContain('X-Amz-')
  })

  test('a build whose bytes are no package: said in the summary, kept, and deployed anyway', async () => {
    api().buildContent = Buffer.from('%PDF-1.7 not a zip')
    const run = await world.run(deploy())

    expect(run.code).toBe(0)
    expect(run.summary).toContain('> ⚠️ The build does not look like a Workato package')
    expect(warnings(run.stdout).some(w => w.includes('does not look like a Workato package'))).toBe(
      true
    )
    expect(run.outputs['package-sha256']).toMatch(/^[0-9a-f]{64}$/)
    expect(deployPosts()).toHaveLength(1)
  })

  test('no download_url at all: said, and the deployment goes on', async () => {
    api().downloadUrl = null
    const run = await world.run(deploy())

    expect(run.code).toBe(0)
    expect(warnings(run.stdout).some(w => w.includes('named no download_url'))).toBe(true)
  })

  test('a build larger than max-package-mb is stopped before it is kept or deployed', async () => {
    api().buildContent = Buffer.alloc(2 * 1024 * 1024 + 10, 1)
    const run = await world.run(deploy({ 'max-package-mb': '2' }))

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      'over max-package-mb (2.0 MiB): stopped, and nothing was kept or deployed'
    )
    expect(deployPosts()).toEqual([])
  })
})

describe('re-runs never deploy twice', () => {
  test('build-id already deployed to PROD: success, said so, no deployment sent', async () => {
    const first = await world.run(deploy())
    const buildId = first.outputs['build-id'] ?? ''
    const again = await world.run(deploy({ 'build-id': buildId, 'artifact-name': 'again' }), {
      env: { GITHUB_RUN_ID: '16000000002' }
    })

    expect(again.code).toBe(0)
    expect(again.outputs.outcome).toBe('succeeded')
    expect(again.outputs['deployment-id']).toBe(first.outputs['deployment-id'])
    expect(deployPosts()).toHaveLength(1)
    expect(buildPosts()).toHaveLength(1)
    expect(again.summary).toContain(`## ✅ Already deployed to PROD: build \`${buildId}\``)
    expect(again.outputs['package-sha256']).toBe(first.outputs['package-sha256'])
  })

  test('the same build to TEST is a deployment of its own', async () => {
    const first = await world.run(deploy({ 'environment-type': 'test' }))
    const buildId = first.outputs['build-id'] ?? ''
    const prodRun = await world.run(deploy({ 'build-id': buildId }))

    expect(prodRun.code).toBe(0)
    expect(api().deployments.map(d => [d.buildId, d.environmentType])).toEqual([
      [Number(buildId), 'test'],
      [Number(buildId), 'prod']
    ])
  })

  test('a second attempt of the run finds the first attempt’s deployment: no build, no deployment', async () => {
    const first = await world.run(deploy())
    const second = await world.run(deploy({ 'artifact-name': 'attempt-2' }), {
      env: { GITHUB_RUN_ATTEMPT: '2' }
    })

    expect(second.code).toBe(0)
    expect(buildPosts()).toHaveLength(1)
    expect(deployPosts()).toHaveLength(1)
    expect(second.outputs['build-id']).toBe(first.outputs['build-id'])
    expect(second.summary).toContain('made by an earlier attempt of this run')
  })

  test('a pending deployment from an earlier attempt is waited on, not sent again', async () => {
    api().deployOutcomes.push({ ms: 60_000, state: 'success' })
    const first = await world.run(deploy({ 'wait-timeout': '1' }))
    expect(first.outputs.outcome).toBe('timed-out')
    const pending = api().deployments[0]
    // still pending when the second attempt looks, done a moment later
    if (pending) pending.outcome.ms = Date.now() - pending.createdAt + 1_500
    const second = await world.run(deploy({ 'artifact-name': 'attempt-2' }), {
      env: { GITHUB_RUN_ATTEMPT: '2' }
    })

    expect(second.code).toBe(0)
    expect(deployPosts()).toHaveLength(1)
    expect(second.summary).toContain('started earlier (waited on, not repeated)')
  })

  test('an earlier attempt whose deployment failed is built and deployed again', async () => {
    api().deployOutcomes.push({ ms: 0, state: 'failed' })
    await world.run(deploy())
    const second = await world.run(deploy({ 'artifact-name': 'attempt-2' }), {
      env: { GITHUB_RUN_ATTEMPT: '2' }
    })

    expect(second.code).toBe(0)
    expect(buildPosts()).toHaveLength(2)
    expect(deployPosts()).toHaveLength(2)
  })

  test('a build deployed, then replaced by another: deploying it again is a deliberate deployment', async () => {
    const a = await world.run(deploy())
    await world.run(deploy({ 'artifact-name': 'b' }), { env: { GITHUB_RUN_ID: '16000000002' } })
    const back = await world.run(
      deploy({ 'build-id': a.outputs['build-id'] ?? '', 'artifact-name': 'c' }),
      {
        env: { GITHUB_RUN_ID: '16000000003' }
      }
    )

    expect(back.code).toBe(0)
    expect(deployPosts()).toHaveLength(3)
    expect(api().deployments.at(-1)?.buildId).toBe(Number(a.outputs['build-id']))
  })

  test('a deployments list that ignores its filters: only this project and environment count', async () => {
    api().listIgnoresFilters = true
    const first = await world.run(deploy({ 'environment-type': 'test' }))
    const prodRun = await world.run(deploy({ 'build-id': first.outputs['build-id'] ?? '' }))

    expect(prodRun.code).toBe(0)
    expect(deployPosts()).toHaveLength(2)
  })

  test('build-id of another project is refused before anything is deployed', async () => {
    const first = await world.run(deploy())
    const dev = world.sim.workspace('env-dev')
    dev.projects?.push({ id: '42', name: 'Billing', folderId: '420' })
    dev.folders.push('420')
    const wrong = await world.run(
      deploy({ 'project-id': '42', 'build-id': first.outputs['build-id'] ?? '' })
    )

    expect(wrong.code).toBe(1)
    expect(errorLines(wrong).at(-1)).toContain(
      'belongs to project 41, not to project 42 ("Billing")'
    )
    expect(deployPosts()).toHaveLength(1)
  })
})

describe('the environment, through target-token', () => {
  test('recipes and connections of the project in PROD after the deployment, in the summary', async () => {
    const run = await world.run(deploy(prodLook))

    expect(run.code).toBe(0)
    expect(run.summary).toContain('### In PROD after the deployment: 2 of 2 recipes running')
    expect(run.summary).toContain('| ✅ authorized | CRM | rest |')
    expect(run.summary).not.toContain('Nothing was checked in PROD')
    // the PROD token only looked
    expect(
      world.sim.requests.filter(
        r => r.headers.authorization === `Bearer ${PROD_TOKEN}` && r.method !== 'GET'
      )
    ).toEqual([])
  })

  test('keep-running: recipes the deployment stopped are started again', async () => {
    api().stopsRecipes = true
    const run = await world.run(deploy(prodLook))

    expect(run.code).toBe(0)
    expect(jsonOutput(run, 'started-recipes')).toEqual(['7001', '7002'].sort().reverse())
    expect(prod().recipes?.every(r => r.running)).toBe(true)
    expect(run.summary).toContain('2 of 2 recipes running')
  })

  test('keep-running: false leaves them stopped, and the headline says so', async () => {
    api().stopsRecipes = true
    const run = await world.run(deploy({ ...prodLook, 'keep-running': 'false' }))

    expect(run.code).toBe(0)
    expect(run.summary).toContain('> ⚠️ 2 recipes of 2 stopped in PROD after the deployment.')
    expect(
      warnings(run.stdout).some(w =>
        w.includes('2 recipes of 2 in project "Order sync" are stopped in PROD')
      )
    ).toBe(true)
  })

  test('a first deployment to TEST: the project is made there; its new connection is not authorized', async () => {
    world.sim.workspace('env-dev').folderContents = {
      [PROJECT_FOLDER_ID]: packageUsing([
        {
          name: 'Sync accounts',
          apps: [{ provider: 'salesforce', account: { name: 'SFDC', folder: '' } }]
        }
      ])
    }
    const run = await world.run(deploy({ 'environment-type': 'test', 'target-token': TEST_TOKEN }))

    expect(run.code).toBe(0)
    // before: the connection did not exist in TEST; after: it does, without credentials
    expect(
      warnings(run.stdout).some(
        w =>
          w.includes('Connection "SFDC" (salesforce)') &&
          w.includes('the deployment will create it without credentials')
      )
    ).toBe(true)
    expect(run.summary).toContain('| ❌ not authorized | SFDC | salesforce |')
    expect(run.summary).toContain('> ⚠️ 1 connection not authorized in TEST')
    expect(run.summary).toContain('0 of 1 recipe running')
  })

  test('connection-check: fail stops before the deployment', async () => {
    world.sim.workspace('env-dev').folderContents = {
      [PROJECT_FOLDER_ID]: packageUsing([
        {
          name: 'Sync accounts',
          apps: [{ provider: 'salesforce', account: { name: 'SFDC', folder: '' } }]
        }
      ])
    }
    const run = await world.run(deploy({ ...prodLook, 'connection-check': 'fail' }))

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain(
      `1 connection(s) will not work in folder ${PROD_PROJECT_FOLDER_ID} of the PROD environment: "SFDC" (missing). Nothing was deployed`
    )
    expect(deployPosts()).toEqual([])
  })

  test('a target-token Workato refuses stops the run before anything is built', async () => {
    const run = await world.run(deploy({ 'target-token': 'wrkenv-WRONG-000000000000' }))

    expect(run.code).toBe(1)
    expect(errorLines(run).at(-1)).toContain('Workato refused the target token (HTTP 401)')
    expect(buildPosts()).toEqual([])
  })

  test('an environment that cannot be listed (403) is said, and the deployment goes on', async () => {
    prod().denied = ['projects']
    const run = await world.run(deploy(prodLook))

    expect(run.code).toBe(0)
    expect(
      warnings(run.stdout).some(w =>
        w.includes('Could not list the projects of the PROD environment with target-token')
      )
    ).toBe(true)
    expect(run.summary).toContain(
      '> ⚠️ Nothing was checked in PROD: the projects of PROD could not be listed with target-token.'
    )
  })
})

describe('rollback by redeployment', () => {
  test('a failed deployment redeploys the build of the last good one: rolled-back', async () => {
    const good = await world.run(deploy())
    api().deployOutcomes.push({ ms: 0, state: 'failed', error: 'boom' })
    const bad = await world.run(deploy({ 'rollback-on-failure': 'true', 'artifact-name': 'bad' }), {
      env: { GITHUB_RUN_ID: '16000000002' }
    })

    expect(bad.code).toBe(1)
    expect(bad.outputs.outcome).toBe('rolled-back')
    const last = api().deployments.at(-1)
    expect(last?.buildId).toBe(Number(good.outputs['build-id']))
    expect(last?.description).toContain(`roll back PROD to build ${good.outputs['build-id']}`)
    expect(errorLines(bad).at(-1)).toContain(
      `Rolled back: build ${good.outputs['build-id']} deployed to PROD again (deployment ${last?.id}).`
    )
    expect(bad.summary).toContain(
      `### Rollback (deployment \`${last?.id}\`): ✅ PROD runs build \`${good.outputs['build-id']}\` again`
    )
  })

  test('no earlier good deployment: not rolled back, and said why', async () => {
    api().deployOutcomes.push({ ms: 0, state: 'failed' })
    const run = await world.run(deploy({ 'rollback-on-failure': 'true' }))

    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run).at(-1)).toContain(
      'Not rolled back: no earlier successful deployment of the project to PROD was found to go back to.'
    )
  })

  test('the rollback fails too: rollback-failed, with what to do', async () => {
    await world.run(deploy())
    api().deployOutcomes.push(
      { ms: 0, state: 'failed' },
      { ms: 0, state: 'failed', error: 'still broken' }
    )
    const run = await world.run(deploy({ 'rollback-on-failure': 'true', 'artifact-name': 'x' }), {
      env: { GITHUB_RUN_ID: '16000000002' }
    })

    expect(run.outputs.outcome).toBe('rollback-failed')
    expect(errorLines(run).at(-1)).toContain('ROLLBACK FAILED')
    expect(errorLines(run).at(-1)).toContain('rerun mode deploy with build-id 500')
  })

  test('without rollback-on-failure nothing is redeployed', async () => {
    await world.run(deploy())
    api().deployOutcomes.push({ ms: 0, state: 'failed' })
    const run = await world.run(deploy({ 'artifact-name': 'x' }), {
      env: { GITHUB_RUN_ID: '16000000002' }
    })

    expect(run.outputs.outcome).toBe('failed')
    expect(deployPosts()).toHaveLength(2)
  })
})

describe('at production size, under Workato’s quotas', () => {
  test('1,000 projects, a PROD project of 41 folders and 315 running recipes, slow builds: each list read once, few 429s', async () => {
    const WINDOW_MS = 2000
    await world.restart({
      runner: 'in-process',
      sim: { quotas: { perWindow: WORKATO_QUOTAS, windowMs: WINDOW_MS }, latencyMs: 5 }
    })
    const dev = world.sim.workspace('env-dev')
    const others = Array.from({ length: 999 }, (_, i) => ({
      id: String(2000 + i),
      name: `Project ${i}`,
      folderId: String(20_000 + i)
    }))
    dev.projects = [...others, ...(dev.projects ?? [])]
    const prodEnv = prod()
    const big = bigTarget({
      folders: 41,
      recipes: 315,
      topRecipes: 120,
      rootId: PROD_PROJECT_FOLDER_ID
    })
    // the release's two recipes are among them, by name, so the deployment updates (and stops) them
    const recipes = big.recipes ?? []
    Object.assign(recipes[0] ?? {}, { name: 'Sync accounts' })
    Object.assign(recipes[1] ?? {}, { name: 'Nightly export' })
    Object.assign(prodEnv, big)
    api().stopsRecipes = true
    api().buildOutcome = { ms: 3_000, state: 'success' }
    api().deployOutcome = { ms: 3_000, state: 'success' }
    const run = await world.run(deploy(prodLook), {
      env: { WORKATO_PROMOTE_QUOTA_WINDOW_MS: String(WINDOW_MS) }
    })

    expect(errorLines(run)).toEqual([])
    expect(run.code).toBe(0)
    expect(jsonOutput(run, 'started-recipes')).toEqual(
      expect.arrayContaining([String(recipes[0]?.id), String(recipes[1]?.id)])
    )
    expect(prodEnv.recipes?.every(r => r.running)).toBe(true)
    expect(world.sim.rateLimited.length).toBeLessThanOrEqual(3)
    // DEV's 1,000 projects: ten full pages and the empty one that ends the list, each once;
    // PROD's one page, once
    const pages = (token: string) =>
      world.sim.requests
        .filter(
          r => r.url.startsWith('/api/projects?') && r.headers.authorization === `Bearer ${token}`
        )
        .map(r => r.url)
    expect(pages(DEV_TOKEN)).toHaveLength(11)
    expect(new Set(pages(DEV_TOKEN)).size).toBe(11)
    expect(pages(PROD_TOKEN)).toHaveLength(1)
    // the tree listed before the deployment and once after it, each folder's list once each time
    const folderLists = world.sim.requests.filter(r => r.url.startsWith('/api/folders?'))
    expect(folderLists).toHaveLength(42 * 2)
    // recipes: before, after (serving keep-running and the report), and the started folder's again
    const recipeLists = world.sim.requests.filter(r => r.url.startsWith('/api/recipes?'))
    expect(recipeLists.every(r => r.url.includes('exclude_code=true'))).toBe(true)
    expect(recipeLists.length).toBeLessThanOrEqual(43 * 2 + 2)
    expect(run.summary).toContain('### In PROD after the deployment: 315 of 315 recipes running')
  })
})
