/** What every end-to-end test needs: a simulator, an artifact service, and the checks a user would make. */
import { readFile, rm } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from '@jest/globals'
import { ArtifactService, type StoredArtifact } from '../../sim/artifact-service.js'
import { cleanupRuns, runAction, type ActionRun, type RunOptions } from '../../sim/runner.js'
import {
  DEV_TOKEN,
  PROD_TOKEN,
  promoteInputs,
  SOURCE_TOKEN,
  TARGET_TOKEN,
  TEST_TOKEN,
  twoWorkspaces
} from '../../sim/scenario.js'
import { makeCertificate, type Certificate } from '../../sim/tls.js'
import type { SimulatorOptions, WorkatoSimulator } from '../../sim/workato.js'
import { readZip } from '../../sim/zip.js'
import { workato } from '../../src/workato/main.js'
import { runInProcess } from '../in-process-runner.js'

export interface World {
  sim: WorkatoSimulator
  artifacts: ArtifactService
  run(inputs?: Record<string, string>, options?: Partial<RunOptions>): Promise<ActionRun>
  stop(): Promise<void>
}

/**
 * Retries back off from 20 ms here so give-up paths stay quick, and a quota's minute lasts
 * 300 ms (a 429 without Retry-After is waited out for that long); the real schedule has unit tests.
 */
export const FAST_RETRIES = {
  WORKATO_PROMOTE_RETRY_BASE_MS: '20',
  WORKATO_PROMOTE_QUOTA_WINDOW_MS: '300'
}

export interface WorldOptions {
  /** Serve https with a fresh certificate the action is told to trust. */
  tls?: boolean
  sim?: Partial<SimulatorOptions>
  /**
   * 'in-process' runs the source in the test's process (tests of logic: tens of milliseconds a
   * run); 'bundle', the default, runs dist/index.js in a child as the runner does.
   */
  runner?: 'bundle' | 'in-process'
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  let certificate: Certificate | undefined
  if (options.tls) {
    certificate = await makeCertificate(['127.0.0.1', '127.0.0.2', 'workato.test', 'storage.test'])
  }
  const tls = certificate ? { key: certificate.key, cert: certificate.cert } : undefined
  const sim = await twoWorkspaces({ tls, ...options.sim }).start()
  sim.exportScript = { ...sim.exportScript, runningChecks: 0 }
  sim.importScript = { ...sim.importScript, runningChecks: 0 }
  const artifacts = await new ArtifactService().start()
  const trust: Record<string, string> = certificate
    ? { NODE_EXTRA_CA_CERTS: certificate.certFile }
    : {}
  return {
    sim,
    artifacts,
    run: async (inputs = {}, runOptions = {}) => {
      const given = {
        ...runOptions,
        inputs: { ...promoteInputs(sim), ...inputs },
        env: { ...artifacts.env(), ...FAST_RETRIES, ...trust, ...runOptions.env }
      }
      const run =
        options.runner === 'in-process'
          ? await runInProcess(workato, given)
          : await runAction(given)
      // Secret hygiene is checked on every run of every scenario, failing or not.
      const found = leaks(run, sim)
      if (found.length > 0) throw new Error(`leaked: ${found.join(', ')}\n${run.stdout}`)
      return run
    },
    stop: async () => {
      await sim.stop()
      await artifacts.stop()
      await cleanupRuns()
      if (certificate) await rm(certificate.dir, { recursive: true, force: true })
    }
  }
}

/** The log as a user sees it: everything printed, but the runner's own mask registrations. */
export function visibleLog(run: ActionRun): string {
  return (run.stdout + run.stderr)
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
}

export function errorLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter(line => line.startsWith('::error'))
}

/**
 * Every secret, in every form, anywhere a user or a later step could see it. Tokens and Workato's
 * pre-signed URLs must never be printed at all; @actions/artifact prints its own upload URL in
 * debug lines after registering the signature as a mask, so that one is checked as the runner
 * would show it, masks applied.
 */
export function leaks(run: ActionRun, sim: WorkatoSimulator, extra: string[] = []): string[] {
  const everything = [visibleLog(run), run.summary, JSON.stringify(run.outputs)].join('\n')
  const tokens = [SOURCE_TOKEN, TARGET_TOKEN, DEV_TOKEN, TEST_TOKEN, PROD_TOKEN]
  const secrets = [...tokens, ...sim.signatures(), ...extra].flatMap(s => [
    s,
    encodeURIComponent(s)
  ])
  const found = secrets.filter(s => everything.includes(s))
  // Not even in part: any 12 characters of a token, as printed, URL-encoded or Markdown-escaped.
  for (const token of [...tokens, ...extra]) {
    for (const form of [
      token,
      encodeURIComponent(token),
      token.replace(/[\\`*_[\]|#~!]/g, '\\$&')
    ]) {
      for (let i = 0; i + 12 <= form.length; i++) {
        if (everything.includes(form.slice(i, i + 12))) {
          found.push(`part of a token (${form.slice(i, i + 3)}…)`)
          break
        }
      }
    }
  }
  if (/X-Amz-/i.test(everything)) found.push('a pre-signed storage URL')
  const masks = run.stdout
    .split('\n')
    .filter(line => line.startsWith('::add-mask::'))
    .map(line => line.slice('::add-mask::'.length))
    .filter(Boolean)
  const masked = masks.reduce((text, mask) => text.split(mask).join('***'), everything)
  if (/[?&]sig=(?!\*\*\*)/.test(masked)) found.push('an unmasked artifact upload signature')
  return found
}

/**
 * A run that refused `input` before anything was sent: its error line names the input, no stack,
 * no request, no artifact, and no workflow command but the masks and the errors themselves.
 */
export function expectRefusedInput(run: ActionRun, world: World, input: string): void {
  expect(run.code).toBe(1)
  const errors = errorLines(run)
  expect(errors.length).toBeGreaterThanOrEqual(1)
  expect(errors.some(e => e.startsWith(`::error::Input '${input}' `))).toBe(true)
  expect(hasStackTrace(run)).toBe(false)
  expect(world.sim.requests).toEqual([])
  expect(world.artifacts.calls).toEqual([])
  const commands = run.stdout.split('\n').filter(l => l.trimStart().startsWith('::'))
  expect(commands.filter(l => !/^::(add-mask|error)::/.test(l))).toEqual([])
  expect(
    run.stdout
      .split('\n')
      .some(l => l.startsWith('::set-output') || l.startsWith('::stop-commands'))
  ).toBe(false)
}

export function hasStackTrace(run: ActionRun): boolean {
  return /\n\s+at .+[:(]\d+:\d+\)?/.test(run.stdout + run.stderr)
}

/** The package inside the artifact: upload-artifact wraps the file in a zip of its own. */
export async function artifactPackage(
  artifact: StoredArtifact
): Promise<{ name: string; content: Buffer }> {
  const entries = readZip(await readFile(artifact.blobFile))
  const [only] = entries
  if (!only || entries.length !== 1)
    throw new Error(`expected one file in the artifact, found ${entries.length}`)
  return only
}

/** A world that a test can start again with other options (a simulator with an import gap, say). */
export interface TestWorld extends World {
  restart(options?: WorldOptions): Promise<void>
}

/**
 * The set-up every e2e file shares: a fresh world for each test (or one for the whole file),
 * stopped after it. The object stays the same while the world behind it is replaced.
 */
export function useWorld(options: WorldOptions = {}, per: 'test' | 'file' = 'test'): TestWorld {
  let current: World | undefined
  const world = (): World => {
    if (!current) throw new Error('the world is used outside a test')
    return current
  }
  const [before, after] = per === 'test' ? [beforeEach, afterEach] : [beforeAll, afterAll]
  before(async () => {
    current = await startWorld(options)
  })
  after(async () => {
    await current?.stop()
    current = undefined
  })
  return {
    get sim() {
      return world().sim
    },
    get artifacts() {
      return world().artifacts
    },
    run: (inputs, runOptions) => world().run(inputs, runOptions),
    stop: () => world().stop(),
    restart: async (next = options) => {
      await current?.stop()
      current = await startWorld(next)
    }
  }
}
