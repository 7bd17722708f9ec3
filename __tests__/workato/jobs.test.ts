import { describe, expect, test } from '@jest/globals'
import { jobState } from '../../src/workato/jobs.js'

describe('job states', () => {
  test.each([
    ['in_progress', 'running'],
    ['processing', 'running'],
    ['completed', 'completed'],
    ['succeeded', 'completed'],
    ['failed', 'failed'],
    ['error', 'failed'],
    ['queued', 'unknown'],
    ['COMPLETED', 'unknown'],
    ['__proto__', 'unknown'],
    ['toString', 'unknown']
  ])('%s is %s', (status, state) => {
    expect(jobState(status)).toBe(state)
  })
})
