import { describe, expect, test } from '@jest/globals'
import { DATA_CENTERS, resolveHost } from '../../src/workato/hosts.js'

describe('hosts', () => {
  test('every data-center code resolves to https', () => {
    for (const [code, url] of Object.entries(DATA_CENTERS)) {
      expect(resolveHost(code)).toEqual({ url })
      expect(url.startsWith('https://')).toBe(true)
    }
  })

  test.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://127.0.0.2:9', 'http://127.0.0.2:9'],
    ['http://[::1]:9', 'http://[::1]:9'],
    ['https://vpw.example.com', 'https://vpw.example.com']
  ])('%s is accepted', (value, url) => {
    expect(resolveHost(value)).toEqual({ url })
  })

  test.each([
    'http://10.0.0.1',
    'http://localhost.evil.com',
    'https://a.com?x=1',
    'https://a.com/#x',
    'www.workato.com'
  ])('%s is refused', value => {
    expect(resolveHost(value)).toHaveProperty('problem')
  })
})
