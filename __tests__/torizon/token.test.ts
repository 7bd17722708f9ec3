import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { tuning } from '../../src/shared/http/json.js'
import { redact } from '../../src/shared/secrets.js'
import type { Clock } from '../../src/shared/wait.js'
import { Tokens } from '../../src/torizon/token.js'
import { TorizonSimulator } from '../../sim/torizon.js'

let sim: TorizonSimulator
beforeEach(async () => {
  sim = await new TorizonSimulator({
    clientId: 'id',
    clientSecret: 'secret',
    tokenLifetimeS: 300
  }).start()
})
afterEach(() => sim.stop())

function tokensAt(clock: Clock): Tokens {
  return new Tokens(
    { tokenUrl: sim.tokenUrl, clientId: 'id', clientSecret: 'secret' },
    tuning('TEST'),
    clock
  )
}

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000
  return {
    now: () => now,
    sleep: () => Promise.resolve(),
    realMs: ms => ms,
    advance: ms => {
      now += ms
    }
  }
}

describe('Tokens', () => {
  test('kept until a minute before it expires, then renewed', async () => {
    const clock = manualClock()
    const tokens = tokensAt(clock)
    const first = await tokens.bearer()
    clock.advance(239_000)
    expect(await tokens.bearer()).toBe(first)
    clock.advance(1_000) // 60 s left of 300: renewed
    const second = await tokens.bearer()
    expect(second).not.toBe(first)
    expect(sim.issued).toEqual([first, second])
  })

  test('a short-lived token is renewed with a quarter of its life left', async () => {
    await sim.stop()
    sim = await new TorizonSimulator({
      clientId: 'id',
      clientSecret: 'secret',
      tokenLifetimeS: 8
    }).start()
    const clock = manualClock()
    const tokens = tokensAt(clock)
    const first = await tokens.bearer()
    clock.advance(5_999)
    expect(await tokens.bearer()).toBe(first)
    clock.advance(1)
    expect(await tokens.bearer()).not.toBe(first)
  })

  test('forget(): the next call asks for a new one', async () => {
    const tokens = tokensAt(manualClock())
    const first = await tokens.bearer()
    tokens.forget()
    expect(await tokens.bearer()).not.toBe(first)
  })

  test.each(['1', 'published', 'x'.repeat(15)])(
    'access_token %p, too short to be a token: refused naming token-url, never masked, asked once',
    async token => {
      sim.fault('token', { kind: 'json', body: { access_token: token, expires_in: 300 } }, 5)
      const tokens = tokensAt(manualClock())
      // the same words whatever the token: its value is never in them
      await expect(tokens.bearer()).rejects.toMatchObject({
        message:
          `The token endpoint (${sim.tokenUrl}) answered with an access_token too short to be one ` +
          "(under 16 characters): the answer is broken. Check token-url: it should be the account's " +
          'OpenID Connect token endpoint.'
      })
      // refused before it was registered: nothing that merely reads like it is masked
      expect(redact(`outcome ${token}`)).toBe(`outcome ${token}`)
      expect(sim.requests.filter(r => r.host === 'auth')).toHaveLength(1)
    }
  )

  test('a 16-character access_token is taken', async () => {
    sim.fault('token', { kind: 'json', body: { access_token: 'k'.repeat(16), expires_in: 300 } })
    expect(await tokensAt(manualClock()).bearer()).toBe('k'.repeat(16))
  })

  test('an answer without an access token is refused, naming token-url', async () => {
    sim.fault('token', { kind: 'json', body: { token_type: 'Bearer' } })
    const tokens = tokensAt(manualClock())
    await expect(tokens.bearer()).rejects.toThrow(
      /answered without a usable access_token\. Check token-url/
    )
  })

  describe('a token endpoint that fails: what to check, in its own words where it gives them', () => {
    const saved = process.env.TEST_RETRY_BASE_MS
    beforeEach(() => {
      // the retry schedule has its own tests: here its waits are 5 ms
      process.env.TEST_RETRY_BASE_MS = '5'
    })
    afterEach(() => {
      if (saved === undefined) delete process.env.TEST_RETRY_BASE_MS
      else process.env.TEST_RETRY_BASE_MS = saved
    })

    test('400 with an OAuth2 error: the credentials were refused, the server’s reason quoted', async () => {
      sim.fault('token', {
        kind: 'status',
        status: 400,
        body: JSON.stringify({
          error: 'invalid_client',
          error_description: 'Invalid client secret'
        })
      })
      await expect(tokensAt(manualClock()).bearer()).rejects.toThrow(
        'The token endpoint refused the client credentials (HTTP 400): "invalid_client: Invalid client secret". ' +
          'Check client-id and client-secret (an API client of your Torizon Cloud account) and token-url.'
      )
    })

    test('503 every time: tried again, then the status and "try again later"', async () => {
      sim.fault('token', { kind: 'status', status: 503 }, 10)
      await expect(tokensAt(manualClock()).bearer()).rejects.toThrow(
        `The token endpoint (${sim.tokenUrl}) answered HTTP 503. Try again later.`
      )
      expect(sim.requests.filter(r => r.host === 'auth').length).toBeGreaterThan(1)
    })

    test('an HTML page: not JSON, so token-url is the thing to check', async () => {
      sim.fault('token', { kind: 'html' }, 10)
      await expect(tokensAt(manualClock()).bearer()).rejects.toThrow(
        new RegExp(
          `^The token endpoint \\(${sim.tokenUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) ` +
            'answered HTTP 200 with a body that is not JSON \\(text/html[^)]*\\): check token-url\\.$'
        )
      )
    })

    test('the connection reset each time: the network and token-url to check', async () => {
      sim.fault('token', { kind: 'reset' }, 10)
      await expect(tokensAt(manualClock()).bearer()).rejects.toThrow(
        new RegExp(
          `^The access token request to .+ failed: .+\\. Check token-url and the network\\.$`
        )
      )
    })
  })
})
