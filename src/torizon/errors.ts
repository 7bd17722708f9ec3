/** Torizon Cloud's error shapes turned into messages that say what happened and what to check. */
import { ActionError } from '../shared/errors.js'
import { fieldText, jsonObject, NotJson } from '../shared/http/json.js'
import { describeNetworkError } from '../shared/http/request.js'
import { HttpStatusError, isRateLimited, mayResendWrite } from '../shared/http/retry.js'
import { capitalize, oneLine } from '../shared/text.js'

/** What a call is about, for messages a user can act on. */
export interface Call {
  /** e.g. "the upload of my-app 1.4.0" */
  what: string
  /** What to check when Torizon refuses the call (400, 404). */
  check?: string
  /** The largest answer read (default 1 MiB): a roll-out's names every device of its fleets. */
  maxAnswerBytes?: number
  /**
   * What a refusal means for this call, by status, when the status alone says more than "try
   * again" (a 412 on an upload is offline signing keys, a 403 on a roll-out a repository token).
   */
  refusals?: Partial<Record<number, string>>
}

/** Torizon answered with an HTTP error: its status and own words, for callers to sort. */
export class TorizonErrorAnswer extends ActionError {
  constructor(
    message: string,
    readonly status: number,
    readonly said: string | undefined
  ) {
    super(message)
    this.name = 'TorizonErrorAnswer'
  }
}

/** A write whose answer was lost (a reset, a timeout): Torizon may or may not have acted on it. */
export class MayHaveArrived extends ActionError {
  constructor(
    message: string,
    readonly network: string
  ) {
    super(message)
    this.name = 'MayHaveArrived'
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError) return `Torizon Cloud answered HTTP ${error.status}`
  if (error instanceof NotJson) {
    return `Torizon Cloud answered HTTP ${error.status} with a body that is not JSON (${error.contentType})`
  }
  if (error instanceof ActionError) return error.message
  return describeNetworkError(error)
}

/** The last error of a call, after `attempts` tries, as one message. */
export function explainFailure(
  error: unknown,
  call: Call,
  facts: { apiUrl: string; attempts: number; isWrite: boolean }
): Error {
  if (error instanceof ActionError) return error
  const tries = facts.attempts > 1 ? ` after ${facts.attempts} tries` : ''
  if (error instanceof HttpStatusError) return explainStatus(error, call, facts.apiUrl, tries)
  if (error instanceof NotJson) {
    return new ActionError(
      `${capitalize(call.what)} got an answer from ${facts.apiUrl} that is not JSON ` +
        `(HTTP ${error.status}, ${error.contentType})${tries}: a proxy or an outage page? Check api-url.`
    )
  }
  const network = describeNetworkError(error)
  if (facts.isWrite && !mayResendWrite(error)) {
    return new MayHaveArrived(
      `${capitalize(call.what)} failed: ${network}. The request may have reached Torizon Cloud, so it ` +
        'was not sent again.',
      network
    )
  }
  return new ActionError(
    `${capitalize(call.what)} failed${tries}: ${network} (${facts.apiUrl}). Check api-url and the network.`
  )
}

function explainStatus(
  error: HttpStatusError,
  call: Call,
  apiUrl: string,
  tries: string
): TorizonErrorAnswer {
  const said = torizonMessage(error.body)
  const quoted = said ? `: "${said}"` : ''
  const check = call.check ? ` ${call.check}` : ''
  const answered = (message: string) => new TorizonErrorAnswer(message, error.status, said)
  const meaning = call.refusals?.[error.status]
  if (meaning) {
    return answered(
      `Torizon Cloud refused ${call.what} (HTTP ${error.status})${quoted}: ${meaning}`
    )
  }
  if (error.status === 401) {
    return answered(
      `Torizon Cloud refused the access token (HTTP 401) for ${call.what}${quoted}. ` +
        'Check that the API client (client-id) belongs to the account that owns the repository and fleets, and api-url.'
    )
  }
  if (error.status === 403) {
    return answered(
      `Torizon Cloud refused ${call.what} (HTTP 403)${quoted}: the access token is valid but not allowed to do this. ` +
        'Check that the API client (client-id) belongs to the account that owns the repository and fleets, and api-url.'
    )
  }
  if (error.status === 404) {
    return answered(
      `Torizon Cloud has no such resource for ${call.what} (HTTP 404)${quoted}.${check}`
    )
  }
  if (error.status === 413) {
    return answered(
      `Torizon Cloud refused ${call.what} (HTTP 413)${quoted}: the request is over its size limit.`
    )
  }
  if (error.status === 400 || error.status === 422) {
    return answered(`Torizon Cloud rejected ${call.what} (HTTP ${error.status})${quoted}.${check}`)
  }
  const advice = isRateLimited(error.status)
    ? 'The API client is over its rate limit; try again later.'
    : 'Try again later.'
  return answered(
    `Torizon Cloud answered HTTP ${error.status} to ${call.what}${tries}${quoted}. ${advice}`
  )
}

/**
 * Torizon's own words from an error body, on one line. Its error bodies are
 * `{code, msg, description?, cause?, errorId?}` (BadRequestRepr, ConflictRepr); the errorId is
 * kept whole, for support.
 */
export function torizonMessage(body: string): string | undefined {
  const json = jsonObject(body)
  if (!json) return undefined
  const words = [json.msg ?? json.message, json.description, json.cause].map(fieldText)
  const said = oneLine(words.filter(Boolean).join('; '), 250)
  const code = typeof json.code === 'string' && json.code ? ` [${oneLine(json.code, 60)}]` : ''
  const id = typeof json.errorId === 'string' ? ` (error id ${oneLine(json.errorId, 80)})` : ''
  const whole = `${said}${code}${id}`.trim()
  return whole || undefined
}
