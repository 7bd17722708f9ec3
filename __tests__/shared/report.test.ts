import { describe, expect, test } from '@jest/globals'
import { collapsible, esc } from '../../src/shared/report.js'

describe('esc', () => {
  test('keeps text from outside inside its cell, with no HTML', () => {
    expect(esc('a|b')).toBe('a\\|b')
    expect(esc('<script>x</script>')).toBe('&lt;script&gt;x&lt;/script&gt;')
    expect(esc('line\nbreak')).toBe('line break')
    expect(esc('*bold* _it_ `code` [link](x)')).toBe('\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x)')
  })

  test('breaks what GFM would turn into links, and drops format characters', () => {
    expect(esc('https://evil.example.com')).toBe('https\\://evil.example.com')
    expect(esc('www.evil.com')).toBe('www\\.evil.com')
    expect(esc('help@evil.com')).toBe('help\\@evil.com')
    expect(esc('abc\u202edef\u200b')).toBe('abcdef')
  })
})

describe('collapsible', () => {
  test('rows as they are up to the limit, in a details block past it', () => {
    expect(collapsible('3 rows', ['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c', ''])
    expect(collapsible('3 rows', ['a', 'b', 'c'], 2)).toEqual([
      '<details><summary>3 rows</summary>',
      '',
      'a',
      'b',
      'c',
      '',
      '</details>',
      ''
    ])
  })
})
