/** Workato's error shapes turned into messages that say what happened and what to check. */
import { ActionError } from '../shared/errors.js'
import { describeNetworkError } from '../shared/http/request.js'
import { HttpStatusError, mayResendWrite } from '../shared/http/retry.js'
import { StorageError, TooLarge } from '../shared/http/download.js'
import { capitalize, oneLine } from '../shared/text.js'
import { fieldText, jsonObject, NotJson } from '../shared/http/json.js'

export type Side = 'source' | 'target'

/** What a call is about, for messages a user can act on. */
export interface Subject {
  /** e.g. "the export of manifest 12" */
  call: string
  /** what a 404 means for this call, e.g. "Export manifest 12 was not found in the source workspace" */
  notFound: string
  /** What to check when Workato refuses the call with 400 or fails it with 5xx (a wrong id, say). */
  check?: string
  /** A hint from Workato's own words for a 400/422 (e.g. running recipes → restart-recipes). */
  hint?: (said: string | undefined) => string
  /** What an answer over the size cap was, for its message ("a page of 100 recipes without code"). */
  large?: string
  /** What a 403 means for this call, when it is a privilege the call alone needs. */
  forbidden?: string
  /** What a write whose answer was lost may have left, and where to look (instead of packages). */
  leftBehind?: string
}

/** Workato answered the call with an HTTP error: its status and its own words, for callers to sort. */
export class WorkatoErrorAnswer extends ActionError {
  constructor(
    message: string,
    readonly status: number,
    readonly said: string | undefined
  ) {
    super(message)
    this.name = 'WorkatoErrorAnswer'
  }
}

/** What a failed call was, for its message. */
export interface CallFacts {
  side: Side
  baseUrl: string
  attempts: number
  isWrite: boolean
}

export function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError) return `Workato answered HTTP ${error.status}`
  if (error instanceof NotJson)
    return `Workato answered HTTP ${error.status} with a body that is not JSON (${error.contentType})`
  if (error instanceof ActionError) return error.message
  if (error instanceof StorageError) return `${error.where()}: ${error.message}`
  return describeNetworkError(error)
}

/** Turns the last error of a call into one message that says what happened and what to check. */
export function explainFailure(error: unknown, call: CallFacts, subject: Subject): Error {
  const { side, baseUrl, attempts, isWrite } = call
  // the caller words these: it knows the input and the platform's limit
  if (error instanceof ActionError || error instanceof TooLarge) return error
  const tries = attempts > 1 ? ` after ${attempts} tries` : ''
  const where = `the ${side} workspace (${baseUrl})`
  if (error instanceof HttpStatusError) return explainStatus(error, call, subject, tries, where)
  if (error instanceof NotJson) {
    return new ActionError(
      `${capitalize(subject.call)} got an answer from ${where} that is not JSON ` +
        `(HTTP ${error.status}, ${error.contentType})${tries}: a proxy or an outage page? Check ${side}-host.`
    )
  }
  if (error instanceof StorageError) {
    const expired =
      error.problem === 'expired' ? ' (the pre-signed download link was refused each time)' : ''
    return new ActionError(
      `${capitalize(subject.call)} failed${tries}: ${error.where()}: ${error.message}${expired}. Try again later.`
    )
  }
  const network = describeNetworkError(error)
  if (isWrite && !mayResendWrite(error)) {
    return new ActionError(
      `${capitalize(subject.call)} failed: ${network}. The request may have reached Workato, so it was not ` +
        `sent again (a second one would run twice). ${subject.leftBehind ?? `Check the packages of ${where} before rerunning.`}`
    )
  }
  return new ActionError(
    `${capitalize(subject.call)} failed${tries}: ${network} (${where}). Check ${side}-host and the network.`
  )
}

/** An HTTP error answer, by status: Workato's own words, and what to check. */
function explainStatus(
  error: HttpStatusError,
  call: CallFacts,
  subject: Subject,
  tries: string,
  where: string
): WorkatoErrorAnswer {
  const { side } = call
  const said = workatoMessage(error.body)
  const quoted = said ? `: "${said}"` : ''
  const check = subject.check ? ` ${subject.check}` : ''
  const answered = (message: string): WorkatoErrorAnswer =>
    new WorkatoErrorAnswer(message, error.status, said)
  if (error.status === 403 && subject.forbidden) {
    return answered(
      `Workato refused ${subject.call} with the ${side} token (HTTP 403)${quoted}: ${subject.forbidden}`
    )
  }
  switch (error.status) {
    case 401:
    case 403:
      return answered(
        `Workato refused the ${side} token (HTTP ${error.status}) for ${subject.call} at ${call.baseUrl}${quoted}. ` +
          `Check ${side}-token, that its API client has the Recipe Lifecycle Management privileges, ` +
          `and that ${side}-host is the data center of that workspace.`
      )
    case 404:
      return answered(`${subject.notFound} (HTTP 404 from ${where})${quoted}.`)
    case 413:
      return answered(
        `Workato refused ${subject.call} (HTTP 413)${quoted}: the package is over Workato's size limit ` +
          '(its docs say 100 MB for an import). Split the export manifest into smaller ones.'
      )
    case 400:
    case 422: {
      // Workato's own reason, read from its words, says more than the generic advice
      const hint = subject.hint?.(said) ?? ''
      return answered(
        `Workato rejected ${subject.call} (HTTP ${error.status})${quoted}.${hint || check}`
      )
    }
    default:
      return answered(
        `Workato answered HTTP ${error.status} to ${subject.call}${tries}${quoted}. ` +
          (error.status === 429
            ? 'The API client is over its rate limit; try again later.'
            : `Check Workato's status and try again.${check}`)
      )
  }
}

/**
 * Workato's own words from an error body, on one line: `message` (or `error`), the per-field
 * reasons of the spec's ValidationError (`errors: {field: [reason, …]}`: often the only useful
 * words), `error_parts` as its Go CLI prints them, then the error `id` Workato support asks for.
 */
export function workatoMessage(body: string): string | undefined {
  const json = jsonObject(body)
  if (!json) return undefined
  const parts = [
    fieldText(json.message ?? json.error),
    fieldReasons(json.errors),
    fieldText(json.error_parts)
  ]
  const said = oneLine(parts.filter(Boolean).join('; '), 400)
  // The id is kept whole, after the cut: it is what support needs.
  const id =
    typeof json.id === 'string' || typeof json.id === 'number' ? oneLine(String(json.id), 80) : ''
  if (!id) return said || undefined
  return `${said || 'no message'} (error id ${id})`
}

/** `{field: [reason, …]}` as "field: reason, reason"; any other shape as it came. */
export function fieldReasons(errors: unknown): string {
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return fieldText(errors)
  return Object.entries(errors as Record<string, unknown>)
    .map(([field, reasons]) => {
      const said = Array.isArray(reasons) ? reasons.map(fieldText).join(', ') : fieldText(reasons)
      return field === 'base' ? said : `${field}: ${said}`
    })
    .filter(Boolean)
    .join('; ')
}
