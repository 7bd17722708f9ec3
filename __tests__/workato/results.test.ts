import { describe, expect, test } from '@jest/globals'
import { classifyRecipes, describeResult, failuresFirst } from '../../src/workato/results.js'

describe('import results', () => {
  test.each([
    ['no_update_or_update_without_restart', true],
    ['no_update_or_updated_without_restart', true],
    ['restarted', true],
    ['not_found', false],
    ['stop_failed', false],
    ['stopped', false],
    ['restart_failed', false],
    ['restarted_with_warnings', false],
    ['', false],
    ['__proto__', false],
    ['toString', false]
  ])('%j → ok %s', (result, ok) => {
    expect(describeResult(result).ok).toBe(ok)
    expect(describeResult(result).meaning.length).toBeGreaterThan(10)
  })

  test('classifies every entry and fails closed on odd shapes', () => {
    expect(
      classifyRecipes([
        { id: 1, import_result: 'restarted' },
        { id: 2, import_result: 'stopped' },
        { id: 3 },
        null
      ])
    ).toEqual([
      { id: '1', import_result: 'restarted', ok: true },
      { id: '2', import_result: 'stopped', ok: false },
      { id: '3', import_result: 'undefined', ok: false },
      { id: '?', import_result: 'undefined', ok: false }
    ])
    expect(classifyRecipes(undefined)).toEqual([])
    expect(classifyRecipes('nope')).toEqual([
      { id: '?', import_result: 'malformed recipe_status', ok: false }
    ])
  })

  test('failures first, order otherwise kept', () => {
    const rows = classifyRecipes([
      { id: 1, import_result: 'restarted' },
      { id: 2, import_result: 'stopped' },
      { id: 3, import_result: 'no_update_or_update_without_restart' },
      { id: 4, import_result: 'not_found' }
    ])
    expect(failuresFirst(rows).map(r => r.id)).toEqual(['2', '4', '1', '3'])
  })
})
