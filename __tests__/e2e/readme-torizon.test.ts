/**
 * Every README workflow that uses the Torizon action is played as GitHub would run it (see
 * workflow.ts) against the Torizon simulator, and checked to do what the README says: the file is
 * published once, later jobs find it already published, each fleet gets the package.
 */
import * as path from 'node:path'
import { afterAll, describe, expect, test } from '@jest/globals'
import { ArtifactService } from '../../sim/artifact-service.js'
import { cleanupRuns, repoRoot } from '../../sim/runner.js'
import { TorizonSimulator } from '../../sim/torizon.js'
import { CLIENT_ID, CLIENT_SECRET, COMPOSE, FAST, FLEETS, torizonLeaks } from './torizon-world.js'
import { hasStackTrace } from './world.js'
import { eventsOf, playWorkflow, readmeExamples } from './workflow.js'

const isTorizon = (uses?: string): boolean => !!uses && /(^|\/)torizon@/.test(uses)
const examples = readmeExamples(isTorizon)

const VARIABLES: Array<[RegExp, string]> = [
  [/STAGING_FLEET/, FLEETS[0]],
  [/PRODUCTION_FLEET/, FLEETS[1]]
]
const SECRETS: Array<[RegExp, string]> = [
  [/CLIENT_ID/, CLIENT_ID],
  [/CLIENT_SECRET/, CLIENT_SECRET]
]

const stops: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const stop of stops) await stop()
  await cleanupRuns()
})

// e2e: the README's workflows as a user would copy them, every Torizon step run by the bundle
describe('README examples of the Torizon action', () => {
  test('the Torizon page has one', () => {
    expect(
      examples.filter(e => e.line.startsWith('torizon/README.md:')).length
    ).toBeGreaterThanOrEqual(1)
  })

  // An output holds Torizon's words; pasted into a script, the shell would run what it says.
  test('no run: step pastes an expression into its script: values reach it through env:', () => {
    const pasted = examples.flatMap(({ line, workflow }) =>
      Object.values(workflow.jobs).flatMap(job =>
        (job.steps ?? []).filter(s => s.run?.includes('${{')).map(s => `${line}: ${s.run}`)
      )
    )
    expect(pasted).toEqual([])
  })

  test.each(examples.map(e => [`${e.line}: ${e.workflow.name ?? 'workflow'}`, e] as const))(
    '%s runs as the README says',
    async (_title, example) => {
      const sim = await new TorizonSimulator({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        fleets: FLEETS
      }).start()
      stops.push(() => sim.stop())
      const lookUp = (table: Array<[RegExp, string]>, kind: string) => (name: string) => {
        const found = table.find(([pattern]) => pattern.test(name))
        if (!found) throw new Error(`${kind}.${name}: give it a value in this test`)
        return found[1]
      }
      for (const event of eventsOf(example.workflow)) {
        const artifacts = await new ArtifactService().start()
        stops.push(() => artifacts.stop())
        const played = await playWorkflow(example.workflow, {
          artifacts,
          event,
          simulatorInputs: { 'token-url': sim.tokenUrl, 'api-url': sim.baseUrl },
          secret: lookUp(SECRETS, 'secrets'),
          variable: lookUp(VARIABLES, 'vars'),
          action: { matches: isTorizon, dir: path.join(repoRoot(), 'torizon'), env: FAST },
          files: { 'docker-compose.yml': COMPOSE }
        })
        // every job with a Torizon step ran it (none was skipped by needs, if or a missing file)
        const using = Object.entries(example.workflow.jobs)
          .filter(([, job]) => (job.steps ?? []).some(s => isTorizon(s.uses)))
          .map(([name]) => name)
        expect(played.map(p => p.job)).toEqual(using)
        for (const [i, { job, run, inputs }] of played.entries()) {
          expect({ job, code: run.code, log: run.code === 0 ? '' : run.stdout }).toEqual({
            job,
            code: 0,
            log: ''
          })
          expect(hasStackTrace(run)).toBe(false)
          expect(torizonLeaks(run, sim)).toEqual([])
          // the first job publishes; every later one finds the same bytes there
          expect(run.outputs.outcome).toBe(i === 0 ? 'published' : 'already-published')
          // a job with a fleet rolls out to it; one without, to none
          const fleet = inputs['fleet-id']
          expect(JSON.parse(run.outputs['update-fleets'] ?? 'null')).toEqual(fleet ? [fleet] : [])
        }
        expect(sim.packages).toHaveLength(1)
        expect(sim.packages[0]?.bytes.equals(COMPOSE)).toBe(true)
        const fleets = sim.updates.flatMap(u => u.fleets as string[])
        expect(fleets.sort()).toEqual(
          played
            .filter(p => p.inputs['fleet-id'])
            .map(p => p.inputs['fleet-id'])
            .sort()
        )
      }
    }
  )
})
