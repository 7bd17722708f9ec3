/**
 * What the in-process tests of each Torizon step share: the simulator, a workspace holding the
 * package file, a config parsed from inputs as the action parses them, a record whose file is
 * checked, the API client as the flow builds it, and the log the step printed (scanned for leaked
 * secrets after each test).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, jest } from '@jest/globals'
import { TorizonSimulator } from '../../sim/torizon.js'
import { tuning } from '../../src/shared/http/json.js'
import { clockFromEnv } from '../../src/shared/wait.js'
import { TorizonApi } from '../../src/torizon/api.js'
import { parseInputs, type Config } from '../../src/torizon/inputs.js'
import { newRecord, type RunRecord } from '../../src/torizon/record.js'
import { checkFile } from '../../src/torizon/steps/file.js'
import { Tokens } from '../../src/torizon/token.js'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  COMPOSE,
  FAST,
  FLEETS,
  secretParts
} from '../e2e/torizon-world.js'

/** The prefix of the knobs flow.ts reads (CONTRIBUTING.md). */
const PREFIX = 'TORIZON_PUBLISH'

export interface StepWorld {
  readonly sim: TorizonSimulator
  /** The workspace: docker-compose.yml there holds COMPOSE. */
  readonly workspace: string
  /** Everything printed since the test began (@actions/core writes to stdout). */
  readonly log: string
  /** A config parsed from a publish's inputs (the simulator's URLs, docker-compose.yml) and `inputs`. */
  config(inputs?: Record<string, string>): Config
  /** The client flow.ts builds: retries from 20 ms, and `env`'s TORIZON_PUBLISH_* knobs. */
  api(config: Config, env?: Record<string, string>): TorizonApi
  /** A new record of `config` with its file checked, as the publish step finds it. */
  checked(config: Config): Promise<RunRecord>
  /** The simulator's request log, one line each: `host METHOD path?query`. */
  requests(): string[]
}

export function useSteps(): StepWorld {
  let sim: TorizonSimulator | undefined
  let workspace = ''
  let log = ''
  beforeEach(async () => {
    log = ''
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      log += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      return true
    })
    workspace = await mkdtemp(path.join(os.tmpdir(), 'torizon-steps-'))
    await writeFile(path.join(workspace, 'docker-compose.yml'), COMPOSE)
    sim = await new TorizonSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fleets: FLEETS
    }).start()
  })
  afterEach(async () => {
    jest.restoreAllMocks()
    // as a user sees it: without the runner's own mask registrations
    const shown = log
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    const found = sim ? secretParts(shown, sim) : []
    await sim?.stop()
    sim = undefined
    await rm(workspace, { recursive: true, force: true })
    // Secret hygiene is checked after every test, failing or not.
    if (found.length > 0) throw new Error(`leaked: ${found.join(', ')}\n${log}`)
  })
  const current = (): TorizonSimulator => {
    if (!sim) throw new Error('the simulator is used outside a test')
    return sim
  }
  return {
    get sim() {
      return current()
    },
    get workspace() {
      return workspace
    },
    get log() {
      return log
    },
    config: (inputs = {}) => {
      const given: Record<string, string> = {
        'client-id': CLIENT_ID,
        'client-secret': CLIENT_SECRET,
        'token-url': current().tokenUrl,
        'api-url': current().baseUrl,
        'package-path': 'docker-compose.yml',
        'package-name': 'acme-app',
        'package-version': '1.4.0',
        ...inputs
      }
      return parseInputs(name => given[name] ?? '', { GITHUB_WORKSPACE: workspace })
    },
    api: (config, env = {}) => {
      const knobs = { ...FAST, ...env }
      const clock = clockFromEnv(PREFIX, knobs)
      const timing = tuning(PREFIX, knobs)
      return new TorizonApi(config.apiUrl, new Tokens(config, timing, clock), timing, clock)
    },
    checked: async config => {
      const record = newRecord(config)
      await checkFile(config, record)
      return record
    },
    requests: () =>
      current().requests.map(r => {
        const query = r.query.toString()
        return `${r.host} ${r.method} ${r.path}${query ? `?${query}` : ''}`
      })
  }
}

/** The error `work` fails with; a test of a failure fails when it does not. */
export async function failure(work: Promise<unknown>): Promise<Error> {
  try {
    await work
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected a failure, and the step succeeded')
}
