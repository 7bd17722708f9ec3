import { createReadStream } from 'node:fs'
import { ActionError } from '../errors.js'
import { HashingStream, STREAM_BUFFER, zipProblem, type FileFacts } from '../package-file.js'
import { pollUntilDone, WaitTimeout, type Clock } from '../wait.js'
import type { WorkatoClient } from './client.js'

/** A package job as Workato reports it (export or import). */
export interface PackageJob {
  id: string
  status: string
  error?: string
  recipeStatus?: unknown
}

export interface ImportOptions {
  restartRecipes: boolean
  includeTags: boolean
  folderIdForHomeAssets?: string
}

export function isFinished(job: PackageJob): boolean {
  return job.status === 'completed' || job.status === 'failed'
}

export async function startExport(client: WorkatoClient, manifestId: string): Promise<PackageJob> {
  const body = await client.postJson(`/api/packages/export/${manifestId}`, () => null, {
    call: `the export of manifest ${manifestId}`,
    notFound: `Export manifest ${manifestId} was not found in the source workspace; check manifest-id and source-token`
  })
  return readJob(body, `the export of manifest ${manifestId}`)
}

/** Streams the zip as the request body; returns the job and the sha256 of the bytes sent. */
export async function startImport(
  client: WorkatoClient,
  folderId: string,
  file: { path: string; size: number },
  options: ImportOptions
): Promise<{ job: PackageJob; sent: FileFacts }> {
  const query = new URLSearchParams({
    restart_recipes: String(options.restartRecipes),
    include_tags: String(options.includeTags)
  })
  if (options.folderIdForHomeAssets)
    query.set('folder_id_for_home_assets', options.folderIdForHomeAssets)
  let hashing = new HashingStream()
  const body = await client.postJson(
    `/api/packages/import/${folderId}?${query}`,
    () => {
      hashing = new HashingStream()
      return {
        stream: createReadStream(file.path, { highWaterMark: STREAM_BUFFER }).pipe(hashing),
        length: file.size
      }
    },
    {
      call: `the import into folder ${folderId}`,
      notFound: `Folder ${folderId} was not found in the target workspace; check folder-id and target-token`
    }
  )
  return {
    job: readJob(body, `the import into folder ${folderId}`),
    sent: { sha256: hashing.digest(), size: hashing.bytes }
  }
}

export async function getJob(client: WorkatoClient, id: string): Promise<PackageJob> {
  const body = await client.getJson(`/api/packages/${id}`, {
    call: `the status check of package ${id}`,
    notFound: `Package ${id} was not found in the ${client.side} workspace`
  })
  const job = readJob(body, `the status check of package ${id}`)
  if (job.id !== id) {
    throw new ActionError(
      `Workato answered the status check of package ${id} with package ${job.id}; refusing to go on.`
    )
  }
  return job
}

/**
 * Polls one package until Workato says completed or failed. Any other status, known or not,
 * counts as still running until the timeout.
 */
export async function waitForJob(
  client: WorkatoClient,
  started: PackageJob,
  what: 'export' | 'import',
  options: { maxIntervalMs: number; timeoutMs: number; clock?: Clock }
): Promise<PackageJob> {
  if (isFinished(started)) return started
  try {
    return await pollUntilDone(async () => {
      const job = await getJob(client, started.id)
      return { done: isFinished(job), value: job }
    }, options)
  } catch (error) {
    if (!(error instanceof WaitTimeout)) throw error
    const last = (error.last as PackageJob).status
    throw new ActionError(
      `The ${what} (package ${started.id}) was still "${last}" after ${Math.round(error.waitedMs / 1000)} s ` +
        `(wait-timeout). It may still be running in Workato: check package ${started.id} in the ${client.side} ` +
        'workspace before rerunning, or raise wait-timeout.',
      'timed-out'
    )
  }
}

/**
 * Downloads an export to `destination` and checks it is a whole zip. A body that is cut short or
 * is not a zip is fetched once more from a fresh /download.
 */
export async function downloadPackage(
  client: WorkatoClient,
  id: string,
  destination: string
): Promise<FileFacts> {
  const subject = {
    call: `the download of package ${id}`,
    notFound: `Package ${id} has no content to download in the ${client.side} workspace`
  }
  let problem: string | undefined
  for (let attempt = 1; attempt <= 2; attempt++) {
    const facts = await client.download(`/api/packages/${id}/download`, destination, subject)
    problem = await zipProblem(destination)
    if (!problem) return facts
  }
  throw new ActionError(`The download of package ${id} is not a valid zip: ${problem}.`)
}

/** Reads a package answer, refusing one without the fields every answer must have. */
function readJob(body: Record<string, unknown>, call: string): PackageJob {
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
  const error = typeof body.error === 'string' ? body.error : undefined
  return { id: idText, status, error, recipeStatus: body.recipe_status }
}
