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
    ['https://vpw.example.com', 'https://vpw.example.com'],
    // as Workato's docs print them
    ['https://app.eu.workato.com/api/', 'https://app.eu.workato.com'],
    ['https://app.eu.workato.com/api', 'https://app.eu.workato.com'],
    ['https://www.workato.com/', 'https://www.workato.com']
  ])('%s is accepted', (value, url) => {
    expect(resolveHost(value)).toEqual({ url })
  })

  test.each([
    'http://10.0.0.1',
    'http://localhost.evil.com',
    'https://a.com?x=1',
    'https://a.com/#x',
    'www.workato.com',
    'https://app.eu.workato.com/api/v2',
    'https://app.eu.workato.com/apis',
    '__proto__',
    'constructor',
    'toString'
  ])('%s is refused', value => {
    expect(resolveHost(value)).toHaveProperty('problem')
  })

  test.each([
    ['app.eu.workato.com', 'eu', 'https://app.eu.workato.com'],
    ['app.eu.workato.com/api/', 'eu', 'https://app.eu.workato.com'],
    ['WWW.WORKATO.COM', 'us', 'https://www.workato.com'],
    ['app.workatoapp.cn', 'cn', 'https://app.workatoapp.cn']
  ])('a data-center host typed as %s asks "did you mean"', (value, code, url) => {
    expect(resolveHost(value)).toEqual({
      problem: `is a host name: did you mean \`${code}\` or \`${url}\`?`
    })
  })
})
