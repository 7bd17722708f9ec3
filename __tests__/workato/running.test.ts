import { describe, expect, test } from '@jest/globals'
import { whyNotStarted } from '../../src/workato/steps/running.js'

describe('why Workato refused to start a recipe', () => {
  test.each<[Record<string, unknown>, string]>([
    [
      { success: false, config_errors: [[1, [['account_id', 32148, 'unconnected', {}]]]] },
      'step 1: account_id unconnected'
    ],
    [
      {
        success: false,
        code_errors: [[3, [['input', 'x', "can't be blank"]]]],
        config_errors: [[1, [['account_id', 1, 'unconnected']]]]
      },
      "step 3: input can't be blank; step 1: account_id unconnected"
    ],
    [{ success: false, config_errors: ['odd'] }, 'odd'],
    [{ success: false }, 'Workato gave no reason']
  ])('%j', (body, said) => {
    expect(whyNotStarted(body).replace(/^"|"$/g, '')).toBe(said)
  })
})
