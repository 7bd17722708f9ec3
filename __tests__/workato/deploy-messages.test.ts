/** What a cancel in mode deploy leaves, stage by stage, and the failure line after a rollback. */
import { describe, expect, test } from '@jest/globals'
import { cancelledDuring, failureText } from '../../src/workato/messages.js'
import { parseInputs } from '../../src/workato/inputs.js'
import { newRecord, type RunRecord, type Stage } from '../../src/workato/record.js'

const given: Record<string, string> = {
  mode: 'deploy',
  'source-token': 'dev',
  'project-id': '41',
  'environment-type': 'prod'
}
const config = parseInputs(name => given[name] ?? '', { RUNNER_TEMP: '/tmp' })

function at(stage: Stage): RunRecord {
  const record = newRecord(config)
  record.stage = stage
  record.deploy = {
    build: { id: '500', state: 'success', phase: 'success', origin: 'made' },
    deployment: { id: '800', state: 'pending', phase: 'running', buildId: '500' }
  }
  return record
}

describe('a cancel in mode deploy', () => {
  test.each([
    [
      'wait for build',
      'Build 500 of the project may still be running in DEV. Nothing was deployed.'
    ],
    [
      'deploy',
      "The deployment request may have reached Workato: check the project's deployments to PROD"
    ],
    [
      'wait for deployment',
      'Deployment 800 to PROD may still be running in Workato: a rerun waits on it'
    ],
    ['download build', 'Nothing was deployed.'],
    ['look at the environment', 'Deployment 800 to PROD had ended (pending)']
  ] as const)('during %s', (stage, said) => {
    expect(cancelledDuring(at(stage), 'SIGTERM')).toContain(said)
  })
})

describe('the failure line of a deployment', () => {
  test('rolled back, and a rollback that failed, each with what to do', () => {
    const record = at('wait for redeploy')
    record.failures = ['Workato could not deploy build 500 to PROD.']
    record.rollback = { recipes: [], buildId: '499', deploymentId: '801' }
    expect(failureText(record)).toBe(
      'Workato could not deploy build 500 to PROD. Rolled back: build 499 deployed to PROD again (deployment 801).'
    )
    record.rollback.problem = 'the rollback deployment 801 of build 499 is failed'
    expect(failureText(record)).toContain(
      'ROLLBACK FAILED: the rollback deployment 801 of build 499 is failed.'
    )
    expect(failureText(record)).toContain('rerun mode deploy with build-id 499')
  })
})
