import { describe, expect, test } from '@jest/globals'
import { redact, registerSecret } from '../../src/shared/secrets.js'
import { oneLine } from '../../src/shared/text.js'

describe('secrets', () => {
  const token = 'tok/en"with+odd&chars_12345'
  registerSecret(`  ${token}  `)

  test('every form a token takes in text is removed', () => {
    const json = JSON.stringify(token).slice(1, -1)
    for (const form of [token, encodeURIComponent(token), json, json.replace(/\//g, '\\/')]) {
      expect(redact(`before ${form} after`)).toBe('before *** after')
    }
  })

  test("a form body's spelling (URLSearchParams: ~ ! ' ( ) as %XX, a space as +) is removed", () => {
    const secret = "s3cr~t!(x)*y'z with space"
    registerSecret(secret)
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_secret: secret })
    expect(body.toString()).toContain('s3cr%7Et%21%28x%29*y%27z+with+space')
    expect(redact(`Could not read: ${body.toString()}`)).toBe(
      'Could not read: grant_type=client_credentials&client_secret=***'
    )
  })

  test('oneLine removes a secret before it cuts, so no half of one is left', () => {
    const text = `${'x'.repeat(20)} ${token} tail`
    const line = oneLine(text, 30)
    expect(line).not.toContain(token.slice(0, 6))
    expect(line.startsWith(`${'x'.repeat(20)} ***`)).toBe(true)
  })

  test('oneLine folds white space and drops control and format characters', () => {
    expect(oneLine('a\n\tb\u0000c\u202ed')).toBe('a b c d')
  })

  test('text without a hidden secret keeps its invisible characters (a name’s joiners)', () => {
    expect(redact('family \u{1F468}\u200d\u{1F469}')).toBe('family \u{1F468}\u200d\u{1F469}')
  })

  test('a secret with an invisible character inside is found whole, before anything else', () => {
    for (const mark of ['\u200b', '\u00ad', '\u2060', '\ufeff']) {
      const split = `${token.slice(0, 9)}${mark}${token.slice(9)}`
      expect(redact(`say ${split}.`)).toBe('say ***.')
      expect(oneLine(`say ${split}.`)).toBe('say ***.')
    }
  })
})
