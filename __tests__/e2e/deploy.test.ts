/**
 * Mode deploy through the built bundle, as the runner runs it, one test per promise of the
 * feature: pre-flight, the build, keeping it, the deployment and its states, re-runs, the
 * environment looked at, rollback, and the release record. The details run in process:
 * __tests__/workato/deploy.test.ts.
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import {
  deployInputs,
  DEV_TOKEN,
  PROD_TOKEN,
  SOURCE_TOKEN,
  TEST_TOKEN
} from '../../sim/scenario.js'
import { output } from './run-values.js'
import { artifactPackage, errorLines, hasStackTrace, useWorld } from './world.js'

const world = useWorld()
const deploy = (overrides: Record<string, string> = {}) => deployInputs(world.sim, overrides)
const api = () => world.sim.projects
const deployPosts = () =>
  world.sim.requests.filter(r => r.method === 'POST' && /\/deploy\?/.test(r.url))
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('mode deploy through dist/', () => {
  test('1. pre-flight: a workspace without Environments is an input error, nothing sent after it', async () => {
    const run = await world.run(deploy({ 'source-token': SOURCE_TOKEN }))

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /^::error::Input 'mode' is deploy, but the source workspace has no Workato Environments .*Use mode: promote/
      )
    ])
    expect(world.sim.requests.filter(r => r.method !== 'GET')).toEqual([])
    expect(hasStackTrace(run)).toBe(false)
  })

  test('2, 3. builds with a description naming the release, keeps the zip as the artifact with its sha256', async () => {
    const run = await world.run(deploy({ 'artifact-name': 'order-sync-build' }))

    expect(run.code).toBe(0)
    const [build] = api().builds
    expect(build?.description).toMatch(
      /^workato-promote acme\/workato-release commit [0-9a-f]{12} run 16000000001 attempt 1: build for PROD$/
    )
    const artifact = world.artifacts.artifacts.find(a => a.name === 'order-sync-build')
    if (!artifact) throw new Error('no artifact')
    const kept = await artifactPackage(artifact)
    expect(sha256(kept.content)).toBe(output(run, 'package-sha256'))
    expect(kept.content.equals(build?.zip ?? Buffer.alloc(0))).toBe(true)
    expect(output(run, 'build-id')).toBe(String(build?.id))
    expect(JSON.parse(output(run, 'inventory'))).toContainEqual({
      path: 'Integrations/sync_accounts.recipe.json',
      type: 'recipe',
      name: 'Sync accounts'
    })
    // the storage host never saw a token
    const storage = world.sim.requests.filter(r => r.host === 'storage')
    expect(storage.length).toBeGreaterThan(0)
    expect(storage.every(r => r.headers.authorization === undefined)).toBe(true)
  })

  test('4. a failed deployment fails the job with Workato’s words; pending_review is never a success', async () => {
    api().deployOutcomes.push({
      ms: 0,
      state: 'failed',
      error: 'Recipe Sync accounts: invalid field'
    })
    const failed = await world.run(deploy())
    expect(failed.code).toBe(1)
    expect(failed.outputs.outcome).toBe('failed')
    expect(errorLines(failed).at(-1)).toContain('"Recipe Sync accounts: invalid field"')

    api().deployOutcomes.push({ ms: 0, state: 'pending_review' })
    const review = await world.run(deploy({ 'wait-timeout': '2', 'artifact-name': 'review' }), {
      env: { GITHUB_RUN_ID: '16000000002', WORKATO_PROMOTE_CLOCK_SCALE: '0.1' }
    })
    expect(review.code).toBe(1)
    expect(review.outputs.outcome).toBe('timed-out')
    expect(review.stdout).toContain('a state the action does not know')
    expect(review.summary).toContain('## ⏱️ Deployment to PROD timed out')
  })

  test('5. re-runs never deploy twice: the build-id job run again finds its deployment', async () => {
    const first = await world.run(deploy())
    const buildId = output(first, 'build-id')
    const second = await world.run(deploy({ 'build-id': buildId, 'artifact-name': 'second' }))
    const third = await world.run(deploy({ 'build-id': buildId, 'artifact-name': 'third' }), {
      env: { GITHUB_RUN_ATTEMPT: '2' }
    })

    expect([second.code, third.code]).toEqual([0, 0])
    expect(deployPosts()).toHaveLength(1)
    expect(third.stdout).toContain(`Build ${buildId} is already deployed to PROD`)
    expect(third.outputs['deployment-id']).toBe(first.outputs['deployment-id'])
  })

  test('6. with target-token: recipes the deployment stopped started again; what is stopped and unauthorized reported', async () => {
    api().stopsRecipes = true
    const prod = world.sim.workspace('env-prod')
    prod.connections?.push({
      id: 62,
      application: 'slack',
      name: 'Alerts',
      folderId: prod.folders[0] ?? '',
      authorizationStatus: null
    })
    const run = await world.run(deploy({ 'target-token': PROD_TOKEN }))

    expect(run.code).toBe(0)
    expect(JSON.parse(output(run, 'started-recipes'))).toHaveLength(2)
    expect(prod.recipes?.every(r => r.running)).toBe(true)
    expect(run.stdout).toContain(
      '::warning::1 connection of project "Order sync" is not authorized in PROD: "Alerts (slack)".'
    )
    expect(run.summary).toContain('> ⚠️ 1 connection not authorized in PROD: connect it there.')
    expect(run.summary).toContain('| ❌ not authorized | Alerts | slack |')
    // the PROD token only read
    const prodWrites = world.sim.requests.filter(
      r => r.headers.authorization === `Bearer ${PROD_TOKEN}` && !['GET', 'PUT'].includes(r.method)
    )
    expect(prodWrites).toEqual([])
  })

  test('6. without target-token the summary says nothing was checked in the environment', async () => {
    const run = await world.run(deploy({ 'environment-type': 'test' }))

    expect(run.code).toBe(0)
    expect(run.summary).toContain('Nothing was checked in TEST')
    expect(world.sim.requests.some(r => r.headers.authorization === `Bearer ${TEST_TOKEN}`)).toBe(
      false
    )
  })

  test('7. rollback-on-failure: the last good build is deployed again, outcome rolled-back', async () => {
    const good = await world.run(deploy())
    api().deployOutcomes.push({ ms: 0, state: 'failed', error: 'boom' })
    const bad = await world.run(deploy({ 'rollback-on-failure': 'true', 'artifact-name': 'bad' }), {
      env: { GITHUB_RUN_ID: '16000000002' }
    })

    expect(bad.code).toBe(1)
    expect(bad.outputs.outcome).toBe('rolled-back')
    expect(api().deployments.at(-1)?.buildId).toBe(Number(output(good, 'build-id')))
    expect(bad.summary).toContain(
      `## ↩️ Deployment to PROD failed; PROD runs build \`${output(good, 'build-id')}\` again`
    )
  })

  test('8. the summary is the release record: project, build, environment, deployment, who, commit, the environment after', async () => {
    const run = await world.run(deploy({ 'target-token': PROD_TOKEN }))

    const summary = run.summary
    expect(summary).toContain(
      `## ✅ Deployed to PROD: build \`${output(run, 'build-id')}\` of project "Order sync"`
    )
    expect(summary).toContain('**Project** "Order sync" from DEV to **PROD**')
    expect(summary).toContain('| Project | "Order sync" (`41`, folder `410`) |')
    expect(summary).toMatch(/\| Build \| `\d+`, made by this run, success, by env-dev API client/)
    expect(summary).toMatch(/\| Deployment to PROD \| `\d+`, success, by dev API client \|/)
    expect(summary).toMatch(/commit \[`[0-9a-f]{7}`\]/)
    expect(summary).toContain('by release-bot')
    expect(summary).toContain('### In PROD after the deployment: 2 of 2 recipes running')
    expect(summary).toContain('| ✅ authorized | CRM | rest |')
    expect(summary).not.toContain(DEV_TOKEN.slice(0, 12))
  })
})
