import { describe, expect, test } from '@jest/globals'
import { InputErrors } from '../../src/shared/errors.js'
import { InputReader, quote } from '../../src/shared/inputs.js'

const reader = (values: Record<string, string>) => new InputReader(name => values[name] ?? '')
const problems = (inputs: InputReader): string[] => {
  try {
    inputs.check()
    return []
  } catch (error) {
    return (error as InputErrors).errors.map(e => e.message)
  }
}

describe('InputReader', () => {
  test('collects every problem, one line per input: the first one found', () => {
    const inputs = reader({ a: 'x', b: '0' })
    inputs.id('a')
    inputs.fail('a', 'is wrong a second way')
    inputs.count('b', 'seconds', 10)
    inputs.id('c', 'in mode promote')
    expect(problems(inputs)).toEqual([
      'Input \'a\' must be a positive integer (got "x")',
      'Input \'b\' must be a whole number of seconds from 1 to 10 (got "0")',
      "Input 'c' is required in mode promote"
    ])
  })

  test('typed getters: choice, bool, count, and their fallbacks when empty', () => {
    const inputs = reader({ mode: 'IMPORT', on: 'True', off: 'false', n: ' 7 ' })
    expect(inputs.choice('mode', ['promote', 'import'] as const, 'promote')).toBe('import')
    expect(inputs.choice('other', ['promote', 'import'] as const, 'promote')).toBe('promote')
    expect([inputs.bool('on', false), inputs.bool('off', true), inputs.bool('none', true)]).toEqual(
      [true, false, true]
    )
    expect(inputs.count('n', 'days', 10)).toBe(7)
    expect(inputs.count('none', 'days', 10, 3)).toBe(3)
    expect(inputs.count('none', 'days', 10)).toBeUndefined()
    expect(problems(inputs)).toEqual([])
  })

  test('file paths: resolved from the base; folders, URLs, line breaks and long names refused', () => {
    const inputs = reader({
      rel: 'out/p.zip',
      abs: '/tmp/p.zip',
      dir: 'out/',
      url: 'https://x/p.zip',
      nl: 'a\nb',
      long: `${'x'.repeat(256)}.zip`
    })
    expect(inputs.filePath('rel', '/work')).toBe('/work/out/p.zip')
    expect(inputs.filePath('abs', '/work')).toBe('/tmp/p.zip')
    for (const name of ['dir', 'url', 'nl', 'long'])
      expect(inputs.filePath(name, '/w')).toBeUndefined()
    expect(problems(inputs).map(p => p.split(' ').slice(0, 2).join(' '))).toEqual([
      "Input 'dir'",
      "Input 'url'",
      "Input 'nl'",
      "Input 'long'"
    ])
  })

  test('a value over 4096 characters is refused before anything reads it', () => {
    const inputs = reader({ big: 'x'.repeat(5000) })
    expect(inputs.text('big')).toBe('')
    expect(problems(inputs)).toEqual(["Input 'big' is too long (5000 characters, at most 4096)"])
  })
})

describe('quote', () => {
  test.each([
    ['soon', '"soon"'],
    ['a\u202eb', '"a?b"'],
    ['x'.repeat(41), 'a value of 41 characters, not shown'],
    ['wrkprod-0a9b8c7d6e5f4a3b', 'a value of 24 characters, not shown'],
    ['hello-world-of-letters', '"hello-world-of-letters"']
  ])('%s → %s', (value, quoted) => {
    expect(quote(value)).toBe(quoted)
  })
})
