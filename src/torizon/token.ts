/**
 * OAuth2 client credentials: an access token from token-url, kept until shortly before it
 * expires, so a call after a long upload asks for a new one instead of failing with 401.
 */
import { Readable } from 'node:stream'
import { ActionError } from '../shared/errors.js'
import { fieldText, jsonObject, readJson, type Tuning } from '../shared/http/json.js'
import { describeNetworkError, send } from '../shared/http/request.js'
import { retryingCall } from '../shared/http/calls.js'
import { HttpStatusError, mayRetryRead } from '../shared/http/retry.js'
import { NotJson } from '../shared/http/json.js'
import { registerSecret } from '../shared/secrets.js'
import { oneLine } from '../shared/text.js'
import type { Clock } from '../shared/wait.js'

export interface Credentials {
  tokenUrl: string
  clientId: string
  clientSecret: string
}

/** A token is renewed when less than this share of its lifetime is left (and at most a minute). */
const RENEW_SHARE = 0.25
const RENEW_MARGIN_MAX_MS = 60_000
/** When the answer has no expires_in: Keycloak's default lifetime is 5 minutes; assume less. */
const ASSUMED_LIFETIME_S = 60
/** Real tokens are far longer (Keycloak's are JWTs of hundreds of characters). */
const MIN_TOKEN_LENGTH = 16

export class Tokens {
  private current?: { value: string; renewAt: number }

  constructor(
    private readonly credentials: Credentials,
    private readonly timing: Tuning,
    private readonly clock: Clock
  ) {}

  /** A token that will not expire in the next moments: the kept one, or a new one. */
  async bearer(): Promise<string> {
    if (this.current && this.clock.now() < this.current.renewAt) return this.current.value
    const started = this.clock.now()
    const { token, lifetimeS } = await this.request()
    const lifetimeMs = lifetimeS * 1000
    const margin = Math.min(lifetimeMs * RENEW_SHARE, RENEW_MARGIN_MAX_MS)
    this.current = { value: token, renewAt: started + lifetimeMs - margin }
    return token
  }

  /** The API refused the kept token (revoked, or clocks apart): the next call gets a new one. */
  forget(): void {
    this.current = undefined
  }

  private async request(): Promise<{ token: string; lifetimeS: number }> {
    const { tokenUrl, clientId, clientSecret } = this.credentials
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret
    }).toString()
    // Asking again is harmless (a second token is just another token): retried like a read.
    const answer = await retryingCall(
      async () => {
        const response = await send(
          'POST',
          tokenUrl,
          {
            Accept: 'application/json',
            'Content-Type': 'application/x-www-form-urlencoded',
            'Content-Length': Buffer.byteLength(form)
          },
          Readable.from([Buffer.from(form)]),
          { idleTimeoutMs: this.timing.socketTimeoutMs, deadlineMs: this.timing.requestDeadlineMs }
        )
        return (await readJson(response, 'object', () => this.clock.now(), 64 * 1024)) as Record<
          string,
          unknown
        >
      },
      {
        what: 'the access token request',
        policy: this.timing.retry,
        // asking again is harmless: retried like a read
        write: false,
        mayRetry: error => mayRetryRead(error) || error instanceof NotJson,
        clock: this.clock,
        describe: describeTokenError,
        explain: last => explainTokenFailure(last, tokenUrl)
      }
    )
    const token = answer.access_token
    if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
      throw new ActionError(
        `The token endpoint (${tokenUrl}) answered without a usable access_token. Check token-url: it ` +
          "should be the account's OpenID Connect token endpoint."
      )
    }
    // Every occurrence of a registered secret is masked: a token like "1" or "failed" would turn
    // the outcome, sizes and hashes into ***. No real issuer hands out one that short.
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new ActionError(
        `The token endpoint (${tokenUrl}) answered with an access_token too short to be one (under ` +
          `${MIN_TOKEN_LENGTH} characters): the answer is broken. Check token-url: it should be the ` +
          "account's OpenID Connect token endpoint."
      )
    }
    // masked before anything could print it
    registerSecret(token)
    const expiresIn = Number(answer.expires_in)
    const lifetimeS = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : ASSUMED_LIFETIME_S
    return { token, lifetimeS }
  }
}

function describeTokenError(error: unknown): string {
  if (error instanceof HttpStatusError) return `HTTP ${error.status}`
  if (error instanceof NotJson) return `HTTP ${error.status}, not JSON`
  return describeNetworkError(error)
}

/** OAuth2 errors are `{error, error_description}` (RFC 6749, 5.2). */
function explainTokenFailure(error: unknown, tokenUrl: string): ActionError {
  if (error instanceof ActionError) return error
  if (error instanceof HttpStatusError) {
    const said = oauthMessage(error.body)
    const quoted = said ? `: "${said}"` : ''
    if (error.status === 400 || error.status === 401 || error.status === 403) {
      return new ActionError(
        `The token endpoint refused the client credentials (HTTP ${error.status})${quoted}. Check client-id and ` +
          'client-secret (an API client of your Torizon Cloud account) and token-url.'
      )
    }
    return new ActionError(
      `The token endpoint (${tokenUrl}) answered HTTP ${error.status}${quoted}. Try again later.`
    )
  }
  if (error instanceof NotJson) {
    return new ActionError(
      `The token endpoint (${tokenUrl}) answered HTTP ${error.status} with a body that is not JSON ` +
        `(${error.contentType}): check token-url.`
    )
  }
  return new ActionError(
    `The access token request to ${tokenUrl} failed: ${describeNetworkError(error)}. Check token-url and the ` +
      'network.'
  )
}

function oauthMessage(body: string): string | undefined {
  const json = jsonObject(body)
  const words = [json?.error, json?.error_description].map(fieldText).filter(Boolean)
  return words.length > 0 ? oneLine(words.join(': '), 200) : undefined
}
