/** The run frame alone, with a platform of its own: how each ending is recorded and reported. */
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { ActionError, InputError, InputErrors } from '../../src/shared/errors.js'
import { runOnce, type Ended, type Platform } from '../../src/shared/run.js'

interface Record extends Ended {
  config: { name: string }
  stage: string
}

let out = ''
const saved = { ...process.env }
beforeEach(() => {
  out = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    out += String(chunk)
    return true
  })
  process.env.INPUT_NAME = 'release'
  delete process.env.GITHUB_STEP_SUMMARY
  delete process.env.GITHUB_OUTPUT
})
afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...saved }
  process.exitCode = undefined
})

const errors = () => out.split('\n').filter(l => l.startsWith('::error::'))

/** A platform whose steps are `steps`; what the frame calls is counted. */
function platform(
  steps: (record: Record) => Promise<void>,
  overrides: Partial<Platform<{ name: string }, Record>> = {}
) {
  const calls: string[] = []
  const p: Platform<{ name: string }, Record> = {
    name: 'test-action',
    inputs: ['name'],
    secrets: [],
    parse: get => {
      const name = get('name')
      if (!name) throw new InputErrors([new InputError('name', 'is required')])
      return { name }
    },
    newRecord: config => ({ config, stage: 'start', failures: [] }),
    steps: (_config, record) => {
      calls.push('steps')
      return steps(record)
    },
    cancelledDuring: (record, signal) => `Cancelled (${signal}) during ${record.stage}.`,
    failureLine: record => (record.failures.length > 0 ? record.failures.join(' ') : undefined),
    outputs: () => void calls.push('outputs'),
    summary: () => 'summary',
    verdict: () => 'verdict',
    ...overrides
  }
  return { p, calls }
}

describe('runOnce', () => {
  test('refused inputs: one error line each, exit code 1, and the steps never run', async () => {
    delete process.env.INPUT_NAME
    process.env.INPUT_NAEM = 'release'
    const { p, calls } = platform(() => Promise.resolve())
    expect(await runOnce(p)).toBeUndefined()
    expect(calls).toEqual([])
    expect(errors()).toEqual([
      '::error::Unknown input `naem`: did you mean `name`?',
      "::error::Input 'name' is required"
    ])
    expect(process.exitCode).toBe(1)
  })

  test('a step’s ActionError is the failure, reported once; outputs are still written', async () => {
    const { p, calls } = platform(() => Promise.reject(new ActionError('The folder is gone.')))
    const record = await runOnce(p)
    expect(record?.failures).toEqual(['The folder is gone.'])
    expect(record?.interrupted).toBeUndefined()
    expect(errors()).toEqual(['::error::The folder is gone.'])
    expect(calls).toEqual(['steps', 'outputs'])
  })

  test('a time limit is an interruption of its own, beside the failure', async () => {
    const { p } = platform(() => Promise.reject(new ActionError('Out of time.', 'timed-out')))
    const record = await runOnce(p)
    expect(record?.interrupted).toEqual({ by: 'time limit' })
    expect(record?.failures).toEqual(['Out of time.'])
  })

  test('a bug in a step: one line, no stack', async () => {
    const { p } = platform(() => Promise.reject(new TypeError('x is undefined')))
    const record = await runOnce(p)
    expect(record?.failures).toEqual(['Unexpected error: TypeError: x is undefined'])
    expect(out).not.toMatch(/\n\s+at /)
  })

  test('a cancel ends the run at once with the platform’s words; the steps’ later end is ignored', async () => {
    let finish: () => void = () => undefined
    const { p } = platform(record => {
      record.stage = 'upload'
      // as Node delivers a signal: the listener is given its name
      setImmediate(() => process.emit('SIGINT', 'SIGINT'))
      return new Promise<void>(resolve => {
        finish = resolve
      })
    })
    const record = await runOnce(p)
    finish()
    expect(record?.interrupted).toEqual({ by: 'cancel', signal: 'SIGINT' })
    expect(record?.failures).toEqual(['Cancelled (SIGINT) during upload.'])
    expect(errors()).toEqual(['::error::Cancelled (SIGINT) during upload.'])
  })

  test('outputs that cannot be written: one error line, and the record still comes back', async () => {
    const { p } = platform(() => Promise.resolve(), {
      outputs: () => {
        throw new Error('Missing file at path: /nope')
      }
    })
    const record = await runOnce(p)
    expect(record?.failures).toEqual([])
    expect(errors()).toEqual(['::error::Unexpected error: Missing file at path: /nope'])
  })

  test('no cancel listener is left behind once a run has reported', async () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]
    const { p } = platform(() => Promise.resolve())
    await runOnce(p)
    await runOnce(p)
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before)
  })
})
