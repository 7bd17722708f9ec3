/**
 * Property: whatever string any input holds, parsing either accepts it or refuses it with
 * errors that each name one input, on one line, briefly; it never throws anything else.
 */
import { ACTION_INPUTS } from '../action-inputs.js'
import { describe, expect, test } from '@jest/globals'
import { InputErrors } from '../../src/shared/errors.js'
import { parseInputs } from '../../src/workato/inputs.js'

const INPUTS = ACTION_INPUTS
const base: Record<string, string> = {
  'source-token': 's',
  'target-token': 't',
  'manifest-id': '12',
  'folder-id': '34'
}
const env = { RUNNER_TEMP: '/runner/temp', GITHUB_WORKSPACE: '/work/repo' }

/** A small seeded generator, so a failure can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
  const pieces = [
    '0',
    '1',
    '-',
    '9',
    '12',
    ' ',
    '\t',
    '\n',
    '\r\n',
    '::',
    '::set-output name=outcome::ok',
    '%0A',
    '../',
    '/',
    '\\',
    'https://',
    'http://',
    '@',
    ':',
    'user:pw@',
    'é',
    '😀',
    '\u0000',
    '\u202e',
    'true',
    'False',
    'us',
    'eu',
    'export',
    'import',
    '"',
    "'",
    '<',
    '>',
    '|',
    '*',
    '?',
    'x'.repeat(300),
    'a'.repeat(64),
    '1'.repeat(17),
    '.workato.com',
    'localhost',
    '127.0.0.1',
    '[::1]',
    '%',
    '${{ }}'
  ]
  return (): string => {
    const length = Math.floor(next() * 6)
    let out = ''
    for (let i = 0; i < length; i++) out += pieces[Math.floor(next() * pieces.length)]
    if (next() < 0.05) out = out.repeat(1000)
    return out
  }
}

describe('every input, random and adversarial values', () => {
  test.each(INPUTS)('%s', input => {
    const random = generator(input.length * 7919)
    const refusals: unknown[] = []
    for (let i = 0; i < 1500; i++) {
      const value = random()
      try {
        parseInputs(name => (name === input ? value : (base[name] ?? '')), env)
      } catch (error) {
        refusals.push(error)
      }
    }
    for (const error of refusals) {
      expect(error).toBeInstanceOf(InputErrors)
      for (const e of error instanceof InputErrors ? error.errors : []) {
        // mode decides which other inputs are required, so it may make them the ones at fault
        expect(e.input).toBe(input === 'mode' ? e.input : input)
        expect(e.message.startsWith(`Input '${e.input}' `)).toBe(true)
        expect(e.message).not.toMatch(/[\r\n\u0000]/)
        expect(e.message.length).toBeLessThan(400)
      }
    }
    expect(refusals.length).toBeGreaterThan(0)
  })
})
