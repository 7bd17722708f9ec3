/** Starting exports and imports, and the package download: what Workato answers, and when to ask again. */
import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import { readJob, type PackageJob } from './jobs.js'
import { retryingCall } from '../shared/http/calls.js'
import { formatBytes, HashedFileBody, type FileFacts } from '../shared/package-file.js'
import { zipProblem } from '../shared/zip.js'
import { deadlineIn, realClock, type Clock } from '../shared/wait.js'
import { TooLarge } from '../shared/http/download.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'
import { describeFailure, WorkatoErrorAnswer } from './errors.js'

export interface ImportOptions {
  restartRecipes: boolean
  includeTags: boolean
  folderIdForHomeAssets?: string
}

/** Workato's documented import limit (an older page says 30 MB). */
export const IMPORT_LIMIT_BYTES = 100 * 1024 * 1024

/**
 * Workato imports one package at a time per environment, and older docs ask for 15 minutes
 * between imports. How it words that refusal is not documented: 409 and 429 are taken as "not
 * now", and so is a 400/422 whose message speaks of another import or of waiting. A message about
 * running recipes is the restart-recipes case, never a wait.
 */
const ANOTHER_IMPORT =
  /\b(another|other|concurrent|previous|ongoing|pending)\s+(package\s+)?imports?\b|\bimports?\s+(is\s+|are\s+)?(already\s+)?(in\s+progress|running|underway|ongoing)\b|\bbetween\s+(\w+\s+)?imports\b|\bwait\b.{0,40}\bminutes?\b|\btry\s+again\s+later\b/i
const RUNNING_RECIPES =
  /\brunning\s+recipes?\b|\brecipes?\b.{0,30}\b(are|is)\s+running\b|restart_recipes/i

export function speaksOfRunningRecipes(said: string | undefined): boolean {
  return !!said && RUNNING_RECIPES.test(said)
}

/** An import refused for now because of another import, not for anything about this one. */
export function isAnotherImport(answer: { status: number; said?: string }): boolean {
  if (answer.status === 409 || answer.status === 429) return true
  if (answer.status !== 400 && answer.status !== 422) return false
  return !!answer.said && ANOTHER_IMPORT.test(answer.said) && !speaksOfRunningRecipes(answer.said)
}

/** Workato would not start an import now because another one runs or ended too recently. */
export class ImportBusy extends ActionError {
  constructor(
    folderId: string,
    readonly answer: WorkatoErrorAnswer
  ) {
    super(
      `Workato refused the import into folder ${folderId} for now (HTTP ${answer.status}${answer.said ? `: "${answer.said}"` : ''}): ` +
        (answer.status === 429
          ? "the target's API client is over Workato's rate limit for imports (and the run's time ran out " +
            'before it freed). Nothing was imported. Rerun later; if other jobs share this API client, give ' +
            'the release its own, or lower rate-limits so the runs share the quota.'
          : 'another import into the target workspace is running or ended too recently (Workato imports one package ' +
            'at a time and may ask for a gap between imports). Nothing was imported. Rerun later, and keep releases ' +
            'from overlapping with a concurrency group per target (concurrency: { group: workato-<target>, cancel-in-progress: false }).')
    )
    this.name = 'ImportBusy'
  }
}

export async function startExport(client: WorkatoClient, manifestId: string): Promise<PackageJob> {
  const manifestInput = client.side === 'source' ? 'manifest-id' : 'snapshot-manifest-id'
  const body = await client.postJson(routes.exportPackage(manifestId), () => null, {
    call: `the export of manifest ${manifestId}`,
    notFound: `Export manifest ${manifestId} was not found in the ${client.side} workspace; check ${manifestInput} and ${client.side}-token`,
    // Workato documents 400 and 500, not 404, for a wrong manifest.
    check: `Check that export manifest ${manifestId} exists in the ${client.side} workspace (${manifestInput}) and that ${client.side}-token belongs to it.`
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
  if (file.size > IMPORT_LIMIT_BYTES) {
    core.warning(
      `The package is ${formatBytes(file.size)}: over the ${formatBytes(IMPORT_LIMIT_BYTES)} Workato documents as its ` +
        'import limit. Sending it anyway; if Workato refuses it, split the export manifest.'
    )
  }
  const sending = new HashedFileBody(file.path, file.size)
  const body = await client
    .postJson(
      routes.importPackage(folderId, query),
      () => ({ stream: sending.open(), length: file.size }),
      {
        call: `the import into folder ${folderId}`,
        notFound: `Folder ${folderId} was not found in the target workspace; check folder-id and target-token`,
        // Workato documents 400 and 500, not 404, for a wrong folder.
        check: `Check that folder ${folderId} exists in the target workspace (folder-id) and that target-token belongs to it.`,
        hint: said => importHint(said, options)
      }
    )
    .catch((error: unknown) => {
      if (error instanceof WorkatoErrorAnswer && isAnotherImport(error))
        throw new ImportBusy(folderId, error)
      throw error
    })
  return {
    job: readJob(body, `the import into folder ${folderId}`),
    sent: sending.sent()
  }
}

/**
 * Starts an import, and while Workato refuses it because another import runs or ended too
 * recently, waits and asks again until `timeoutMs` (a rollback must not give up on that).
 */
export async function startImportWhenFree(
  client: WorkatoClient,
  folderId: string,
  file: { path: string; size: number },
  options: ImportOptions,
  wait: { timeoutMs: number; clock?: Clock }
): Promise<{ job: PackageJob; sent: FileFacts }> {
  const clock = wait.clock ?? realClock
  let busy: ImportBusy | undefined
  const gaveUp = (): ActionError =>
    new ActionError(
      `${busy?.message ?? 'Workato refused the import for now.'} The action asked again for ` +
        `${Math.round(wait.timeoutMs / 1000)} s (wait-timeout) and gave up.`
    )
  return retryingCall(
    () =>
      startImport(client, folderId, file, options).catch((error: unknown) => {
        if (error instanceof ImportBusy) busy = error
        throw error
      }),
    {
      what: `the import into folder ${folderId}`,
      // only a refusal that proves nothing was imported is asked again, never any other error
      write: true,
      mayRetry: error => error instanceof ImportBusy,
      policy: {
        attempts: Number.POSITIVE_INFINITY,
        baseDelayMs: client.timing.retry.baseDelayMs * 5,
        maxDelayMs: 60_000,
        maxRetryAfterMs: Number.POSITIVE_INFINITY
      },
      clock,
      deadline: deadlineIn(wait.timeoutMs, clock, gaveUp),
      describe: error =>
        error instanceof ImportBusy
          ? `Workato refused it for now (HTTP ${error.answer.status}): another import is running or ended too recently`
          : describeFailure(error),
      explain: last => (last instanceof Error ? last : gaveUp())
    }
  )
}

function importHint(said: string | undefined, options: ImportOptions): string {
  if (!options.restartRecipes && speaksOfRunningRecipes(said)) {
    return ' Recipes in the target folder are running: set restart-recipes: true to let Workato restart them.'
  }
  if (said && /home asset|root folder/i.test(said)) {
    return ' Set folder-id-for-home-assets to a folder of the target workspace.'
  }
  return ''
}

/**
 * Downloads an export to `destination` and checks it is a whole zip. A body that is cut short or
 * is not a zip is fetched once more from a fresh /download. More than `maxBytes` is refused: a
 * declared size before anything is written, an endless body where it passes the limit.
 */
export async function downloadPackage(
  client: WorkatoClient,
  id: string,
  destination: string,
  maxBytes: number
): Promise<FileFacts> {
  const subject = {
    call: `the download of package ${id}`,
    notFound: `Package ${id} has no content to download in the ${client.side} workspace`
  }
  let problem: string | undefined
  for (let attempt = 1; attempt <= 2; attempt++) {
    const facts = await client
      .download(routes.download(id), destination, subject, maxBytes)
      .catch((error: unknown) => {
        if (!(error instanceof TooLarge)) throw error
        const size =
          error.declared !== undefined ? `declares ${formatBytes(error.declared)}` : 'kept coming'
        throw new ActionError(
          `The download of package ${id} ${size}, over max-package-mb (${formatBytes(maxBytes)}): stopped, ` +
            `and nothing was kept. Workato documents ${formatBytes(IMPORT_LIMIT_BYTES)} as its import limit; ` +
            'raise max-package-mb only for a package you expect to be that large.'
        )
      })
    problem = await zipProblem(destination)
    if (!problem) return facts
  }
  throw new ActionError(`The download of package ${id} is not a valid zip: ${problem}.`)
}
