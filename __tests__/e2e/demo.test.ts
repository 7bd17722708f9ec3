/**
 * `npm run demo -- <scenario>`: each day runs the built bundle against the simulator set up for
 * it, and ends the way the scenario says. A bad day the action fails as expected is a demo that
 * succeeds; its exit code says whether the day went as shown.
 */
import { describe, expect, test } from '@jest/globals'
import { isScenario, runDemo, SCENARIOS } from '../../scripts/demo.js'

/**
 * The action's clock runs five times as fast: the jobs' status checks come sooner, and the
 * timed-out day's 3 s wait-timeout passes in well under a second of real time.
 */
const env = { WORKATO_PROMOTE_CLOCK_SCALE: '0.2' }

const warnings = (stdout: string) => stdout.split('\n').filter(l => l.startsWith('Warning: '))

describe('npm run demo', () => {
  test('every scenario starts by saying what the day is', () => {
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      expect(scenario.day.startsWith(`Scenario ${name}: `)).toBe(true)
    }
    expect(isScenario('promote')).toBe(true)
    expect(isScenario('toString')).toBe(false)
  })

  test('promote: the job succeeds and the demo exits with its code', async () => {
    const demo = await runDemo('promote', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 0, outcome: 'succeeded' })
    expect(demo.stdout.split('\n')[0]).toBe(SCENARIOS.promote.day)
    expect(demo.stdout).toContain('--- job summary (GITHUB_STEP_SUMMARY)')
    expect(demo.stdout).not.toContain('as this scenario expects')
  })

  test('failed-recipe: the job fails, naming the stopped recipe by its name; the demo exits 0', async () => {
    const demo = await runDemo('failed-recipe', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 1, outcome: 'failed' })
    expect(demo.summary).toContain('| ❌ | [Notify on failure (502)](')
    expect(demo.stdout).toContain(
      'Error: Recipe "Notify on failure" (502) did not import cleanly: import_result "stopped"'
    )
    expect(demo.stdout).toContain('--- the action failed, as this scenario expects (exit code 1)')
  })

  test('rolled-back: the snapshot goes back after the failed import', async () => {
    const demo = await runDemo('rolled-back', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 1, outcome: 'rolled-back' })
    // the package, then the snapshot
    expect(demo.stdout.match(/^import into folder 34 of "prod"/gm)).toHaveLength(2)
    expect(demo.summary).toContain('## ↩️ Workato promotion failed and was rolled back')
  })

  test('timed-out: the import never finishes; outcome timed-out', async () => {
    const demo = await runDemo('timed-out', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 1, outcome: 'timed-out' })
    expect(demo.stdout).toContain('It may still be running in Workato')
  })

  test('plan: succeeds with a plan of what an import would change, and imports nothing', async () => {
    const demo = await runDemo('plan', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 0, outcome: 'succeeded' })
    const line = demo.stdout.split('\n').find(l => l.startsWith('plan = '))
    expect(JSON.parse(line?.slice('plan = '.length) ?? 'null')).toEqual({
      added: ['Integrations/nightly_export.recipe.json'],
      changed: [
        'Integrations/notify_on_failure.recipe.json',
        'Integrations/sync_accounts.recipe.json'
      ],
      unchanged: [
        'Integrations/crm_connection.connection.json',
        'account_properties.properties.json'
      ],
      onlyInTarget: []
    })
    expect(demo.stdout).not.toMatch(/^import into folder/m)
  })

  test('unpack: the release written into package-dir, the changes output listing its recipes', async () => {
    const demo = await runDemo('unpack', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 0, outcome: 'succeeded' })
    expect(demo.summary).toContain('## ✅ Workato release unpacked into package-dir')
    expect(demo.summary).toContain(
      '| Package dir | `workato/release`: 5 files written, 0 removed, 0 unchanged |'
    )
    expect(demo.stdout).toContain('changes = ### Changes to workato/release')
    expect(demo.stdout).not.toMatch(/^import into folder/m)
  })

  test('connections: succeeds, with a warning naming each connection that will not work', async () => {
    const demo = await runDemo('connections', { env })
    expect(demo).toMatchObject({ code: 0, runCode: 0, outcome: 'succeeded' })
    expect(warnings(demo.stdout)).toEqual([
      expect.stringContaining(
        'Connection "SFDC Prod" (salesforce) in folder "Integrations" is not authorized'
      ),
      expect.stringContaining('Connection "Ops Slack" (slack) in the import folder does not exist')
    ])
  })

  test('a bad day that goes well is not the day shown: the demo exits 1', async () => {
    const day: { setUp?: unknown } = SCENARIOS['timed-out']
    const setUp = day.setUp
    day.setUp = undefined
    try {
      const demo = await runDemo('timed-out', { env })
      expect(demo).toMatchObject({ code: 1, runCode: 0, outcome: 'succeeded' })
      expect(demo.stdout).toContain(
        '--- this scenario expects the action to fail with outcome timed-out; it ended with exit code 0, outcome succeeded'
      )
    } finally {
      day.setUp = setUp
    }
  })
})
