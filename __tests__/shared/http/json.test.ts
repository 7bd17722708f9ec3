import { describe, expect, test } from '@jest/globals'
import { fieldText, jsonObject, MAX_JSON_DEPTH, pruned } from '../../../src/shared/http/json.js'

describe('pruned', () => {
  test('keeps what is shallow, replaces what lies past the depth with …', () => {
    expect(pruned({ a: [1, { b: 'c' }] })).toEqual({ a: [1, { b: 'c' }] })
    expect(pruned([[['x']]], 2)).toEqual([['…']])
  })

  test('a key named __proto__ stays data', () => {
    const value = pruned(JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')) as Record<
      string,
      unknown
    >
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__', 'ok'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('an error body 100,000 levels deep can be read and printed', () => {
    const body = `{"message":"no","error_parts":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    const json = jsonObject(body)
    expect(json?.message).toBe('no')
    const text = fieldText(json?.error_parts)
    expect(text.split('[').length - 1).toBe(MAX_JSON_DEPTH - 1)
  })
})
