/** A package job, read by id and waited on: Workato's statuses, whatever words it uses. */
import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import { oneLine } from '../shared/text.js'
import { pollUntilDone, WaitTimeout, type Clock, type Deadline } from '../shared/wait.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'

/** Where a package job stands, whatever word Workato used for it. */
export type JobState = 'running' | 'completed' | 'failed' | 'unknown'

/**
 * Workato documents in_progress/processing, completed and failed; its own Go CLI also reads
 * succeeded as done and error as failed. Anything else is unknown: waited on, never a success.
 */
const STATES: Readonly<Record<string, JobState>> = {
  in_progress: 'running',
  processing: 'running',
  completed: 'completed',
  succeeded: 'completed',
  failed: 'failed',
  error: 'failed'
}

export function jobState(status: string): JobState {
  return (Object.hasOwn(STATES, status) ? STATES[status] : undefined) ?? 'unknown'
}

/** A package job as Workato reports it (export or import). */
export interface PackageJob {
  id: string
  status: string
  state: JobState
  error?: string
  recipeStatus?: unknown
}

export function isFinished(job: PackageJob): boolean {
  return job.state === 'completed' || job.state === 'failed'
}

export async function getJob(
  client: WorkatoClient,
  id: string,
  deadline?: Deadline
): Promise<PackageJob> {
  const subject = {
    call: `the status check of package ${id}`,
    notFound: `Package ${id} was not found in the ${client.side} workspace`
  }
  const body = await client.getJson(routes.packageStatus(id), subject, deadline)
  const job = readJob(body, `the status check of package ${id}`)
  if (job.id !== id) {
    throw new ActionError(
      `Workato answered the status check of package ${id} with package ${job.id}; refusing to go on.`
    )
  }
  return job
}

/**
 * Polls one package until Workato says it is done. An import is always read by id at least once,
 * even when its POST said completed: only the package read by id carries the recipe results.
 * Any status the action does not know counts as still running until the timeout, and is named.
 */
export async function waitForJob(
  client: WorkatoClient,
  started: PackageJob,
  what: 'export' | 'import',
  options: { maxIntervalMs: number; timeoutMs: number; clock?: Clock; stop?: AbortSignal }
): Promise<PackageJob> {
  if (what === 'export' && isFinished(started)) return started
  const unknown = new Set<string>()
  const notice = (job: PackageJob): void => {
    if (job.state !== 'unknown' || unknown.has(job.status)) return
    unknown.add(job.status)
    core.warning(
      `Workato reports ${what} package ${job.id} as "${oneLine(job.status, 60)}", a status the action does not know: ` +
        'waiting on as if it were running, until wait-timeout.'
    )
  }
  notice(started)
  try {
    return await pollUntilDone(async deadline => {
      const job = await getJob(client, started.id, deadline)
      notice(job)
      return { done: isFinished(job), value: job }
    }, options)
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error
    const last = (error.last as PackageJob | undefined) ?? started
    const unknownNote =
      last.state === 'unknown' ? ' (a status the action does not know, taken as still running)' : ''
    throw new ActionError(
      `The ${what} (package ${started.id}) was still "${oneLine(last.status, 60)}"${unknownNote} after ` +
        `${Math.round(error.waitedMs / 1000)} s (wait-timeout). It may still be running in Workato: check package ` +
        `${started.id} in the ${client.side} workspace before rerunning, or raise wait-timeout.`,
      'timed-out'
    )
  }
}

/** Reads a package answer, refusing one without the fields every answer must have. */
export function readJob(body: Record<string, unknown>, call: string): PackageJob {
  const id = body.id
  const status = body.status
  const idText =
    typeof id === 'number' && Number.isSafeInteger(id) && id > 0
      ? String(id)
      : typeof id === 'string' && /^[1-9][0-9]*$/.test(id)
        ? id
        : undefined
  if (!idText || typeof status !== 'string') {
    throw new ActionError(
      `Workato's answer to ${call} has no ${!idText ? 'package id' : 'status'}; refusing to guess what happened.`
    )
  }
  return {
    id: idText,
    status,
    state: jobState(status),
    error: jobError(body),
    recipeStatus: body.recipe_status
  }
}

/**
 * A failed job's reason: `error`, with `error_parts` as Workato's Go CLI prints them (their shape
 * is not documented: strings, or anything else shown as JSON).
 */
function jobError(body: Record<string, unknown>): string | undefined {
  const parts: unknown[] = Array.isArray(body.error_parts)
    ? (body.error_parts as unknown[])
    : body.error_parts
      ? [body.error_parts]
      : []
  const texts = [body.error, ...parts]
    .filter(part => part !== undefined && part !== null && part !== '')
    .map(part => (typeof part === 'string' ? part : JSON.stringify(part)))
  return texts.length > 0 ? oneLine(texts.join('; '), 500) : undefined
}
