/**
 * What every Torizon test of a whole run needs: the simulator, an artifact service, and the
 * action run as a runner would: through its bundle in a child (the default), or in this process
 * (`runner: 'in-process'`, for tests of logic). Every run is scanned for leaked secrets.
 */
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
import { torizon } from '../../src/torizon/main.js'
import type { RunRecord } from '../../src/torizon/record.js'
import { runInProcess } from '../in-process-runner.js'
import { visibleLog } from './world.js'

export const CLIENT_ID = 'ci-publisher-7f3a'
export const CLIENT_SECRET = 'tzs_Q8m2Vx7Lr4Kp9Wd3Ny6Hb1Jc5Tf0Gz8Se2Ua7'
export const FLEETS: [string, string] = [
  '0b1f6a52-3c9e-4d7a-9f21-7e5c8d4b2a10',
  'f4e3d2c1-b0a9-4876-9543-210fedcba987'
]
export const COMPOSE = Buffer.from(
  'services:\n  app:\n    image: registry.example.com/acme/app@sha256:' + 'a'.repeat(64) + '\n'
)

/** Retries back off from 20 ms here so give-up paths stay quick. */
export const FAST = { TORIZON_PUBLISH_RETRY_BASE_MS: '20' }

export interface TorizonWorldOptions {
  sim?: Partial<TorizonOptions>
  /**
   * 'in-process' runs the source in the test's process with torizon/action.yml's inputs and
   * defaults (tests of logic); 'bundle', the default, runs torizon/dist/index.js in a child.
   */
  runner?: 'bundle' | 'in-process'
}

/** A run as the e2e helpers read it; in process, also the record the run ended with. */
export type TorizonRun = ActionRun & { record?: RunRecord }

export interface TorizonWorld {
  sim: TorizonSimulator
  artifacts: ArtifactService
  inputs(): Record<string, string>
  run(inputs?: Record<string, string>, options?: Partial<RunOptions>): Promise<TorizonRun>
}

/** A fresh simulator and artifact service for each test. */
export function useTorizon(options: TorizonWorldOptions = {}): TorizonWorld {
  let sim: TorizonSimulator | undefined
  let artifacts: ArtifactService | undefined
  beforeEach(async () => {
    sim = await new TorizonSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fleets: FLEETS,
      ...options.sim
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
      const given = {
        files: { 'docker-compose.yml': COMPOSE },
        ...runOptions,
        action: path.join(repoRoot(), 'torizon'),
        inputs: { ...world.inputs(), ...inputs },
        env: { ...world.artifacts.env(), ...FAST, ...runOptions.env }
      }
      let run: TorizonRun
      if (options.runner === 'in-process') {
        const { onSpawn, timeoutMs, echo, wrapper } = runOptions
        const childOnly = Object.entries({ onSpawn, timeoutMs, echo, wrapper })
          .filter(([, value]) => value !== undefined)
          .map(([name]) => name)
        if (childOnly.length > 0) {
          throw new Error(`${childOnly.join(', ')}: only a bundle run in a child has them`)
        }
        run = await runInProcess(torizon, given)
      } else {
        run = await runAction(given)
      }
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
  return secretParts([visibleLog(run), run.summary, JSON.stringify(run.outputs)].join('\n'), sim)
}

/** Which of the client secret and the tokens `sim` issued show in `text`, any 12 characters. */
export function secretParts(text: string, sim: TorizonSimulator): string[] {
  const found: string[] = []
  for (const secret of [CLIENT_SECRET, ...sim.issued]) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      for (let i = 0; i + 12 <= form.length; i++) {
        if (text.includes(form.slice(i, i + 12))) {
          found.push(`part of a secret (${form.slice(0, 3)}…)`)
          break
        }
      }
    }
  }
  return found
}
