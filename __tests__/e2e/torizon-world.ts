/** What every Torizon end-to-end test needs: the simulator, an artifact service, the built action run as a runner would. */
import * as path from 'node:path'
import { afterEach, beforeEach } from '@jest/globals'
import { ArtifactService } from '../../sim/artifact-service.js'
import {
  cleanupRuns,
  repoRoot,
  runAction,
  type ActionRun,
  type RunOptions
} from '../../sim/runner.js'
import { TorizonSimulator, type TorizonOptions } from '../../sim/torizon.js'
import { visibleLog } from './world.js'

export const CLIENT_ID = 'ci-publisher-7f3a'
export const CLIENT_SECRET = 'tzs_Q8m2Vx7Lr4Kp9Wd3Ny6Hb1Jc5Tf0Gz8Se2Ua7'
export const FLEETS = [
  '0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10',
  'f4e3d2c1-b0a9-4876-9543-210fedcba987'
]
export const COMPOSE = Buffer.from(
  'services:\n  app:\n    image: registry.example.com/acme/app@sha256:' + 'a'.repeat(64) + '\n'
)

/** Retries back off from 20 ms here so give-up paths stay quick. */
export const FAST = { TORIZON_PUBLISH_RETRY_BASE_MS: '20' }

export interface TorizonWorld {
  sim: TorizonSimulator
  artifacts: ArtifactService
  inputs(): Record<string, string>
  run(inputs?: Record<string, string>, options?: Partial<RunOptions>): Promise<ActionRun>
}

/** A fresh simulator and artifact service for each test. */
export function useTorizon(options: Partial<TorizonOptions> = {}): TorizonWorld {
  let sim: TorizonSimulator | undefined
  let artifacts: ArtifactService | undefined
  beforeEach(async () => {
    sim = await new TorizonSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fleets: FLEETS,
      ...options
    }).start()
    artifacts = await new ArtifactService().start()
  })
  afterEach(async () => {
    await sim?.stop()
    await artifacts?.stop()
    await cleanupRuns()
  })
  const world: TorizonWorld = {
    get sim() {
      if (!sim) throw new Error('used outside a test')
      return sim
    },
    get artifacts() {
      if (!artifacts) throw new Error('used outside a test')
      return artifacts
    },
    inputs: () => ({
      'client-id': CLIENT_ID,
      'client-secret': CLIENT_SECRET,
      'token-url': world.sim.tokenUrl,
      'api-url': world.sim.baseUrl,
      'package-path': 'docker-compose.yml',
      'package-name': 'acme-app',
      'package-version': '1.4.0'
    }),
    run: async (inputs = {}, runOptions = {}) => {
      const run = await runAction({
        files: { 'docker-compose.yml': COMPOSE },
        ...runOptions,
        action: path.join(repoRoot(), 'torizon'),
        inputs: { ...world.inputs(), ...inputs },
        env: { ...world.artifacts.env(), ...FAST, ...runOptions.env }
      })
      // Secret hygiene is checked on every run, failing or not.
      const found = torizonLeaks(run, world.sim)
      if (found.length > 0) throw new Error(`leaked: ${found.join(', ')}\n${run.stdout}`)
      return run
    }
  }
  return world
}

/** The client secret and every access token issued, whole or any 12 characters of them. */
export function torizonLeaks(run: ActionRun, sim: TorizonSimulator): string[] {
  const everything = [visibleLog(run), run.summary, JSON.stringify(run.outputs)].join('\n')
  const found: string[] = []
  for (const secret of [CLIENT_SECRET, ...sim.issued]) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      for (let i = 0; i + 12 <= form.length; i++) {
        if (everything.includes(form.slice(i, i + 12))) {
          found.push(`part of a secret (${form.slice(0, 3)}…)`)
          break
        }
      }
    }
  }
  return found
}
