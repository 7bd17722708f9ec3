import * as path from 'node:path'
import * as core from '@actions/core'
import { ActionError } from './errors.js'
import { oneLine } from './text.js'

export type Kept =
  { kept: true; id: number; size: number; digest?: string } | { kept: false; reason: string }

/**
 * Keeps the package as a workflow artifact. Where there is no artifact service (outside Actions,
 * or GHES) that is said and the run goes on: the package is still on disk. Any other failure
 * stops the run; `spared` (the platform's words for what was not done yet) ends its message.
 */
export async function keepAsArtifact(
  filePath: string,
  name: string,
  retentionDays: number | undefined,
  spared = '',
  env: NodeJS.ProcessEnv = process.env
): Promise<Kept> {
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    return {
      kept: false,
      reason: 'no artifact service here (ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set)'
    }
  }
  // Loaded only when used: it is most of the bundle, and export-less runs never need it.
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  const upload = () =>
    client.uploadArtifact(name, [filePath], path.dirname(filePath), {
      retentionDays,
      // The package is already deflated; compressing it again costs time for nothing.
      compressionLevel: 0
    })
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? '1')
  // The artifact library logs each stage of its upload: folded, so the action's own lines stand out.
  core.startGroup(`Uploading artifact "${name}"`)
  try {
    let result: Awaited<ReturnType<typeof upload>>
    try {
      result = await upload()
    } catch (error) {
      if (!isNameTaken(error)) throw error
      if (!(attempt > 1)) throw new NameTaken(name, filePath, spared)
      // A re-run of failed jobs runs in the same workflow run, where the earlier attempt's
      // artifact holds the name: replace it, as upload-artifact's `overwrite` does.
      core.info(
        `Re-run (attempt ${attempt}): an earlier attempt of this run kept an artifact named "${name}"; replacing it.`
      )
      await client.deleteArtifact(name)
      result = await upload()
    }
    if (result.id === undefined) throw new Error('the artifact service returned no artifact id')
    return { kept: true, id: result.id, size: result.size ?? 0, digest: result.digest }
  } catch (error) {
    if (error instanceof ActionError) throw error
    if (error instanceof Error && error.name === 'GHESNotSupportedError') {
      return {
        kept: false,
        reason: 'artifacts of this kind are not supported on GitHub Enterprise Server'
      }
    }
    const message = error instanceof Error ? error.message : String(error)
    core.debug(`artifact upload: ${message}`)
    throw new ActionError(
      `Could not keep the package as artifact "${name}": ${firstLine(message)}. The package is at ${filePath}. ` +
        `Try again, or set upload-artifact: false.${spared ? ` ${spared}` : ''}`
    )
  } finally {
    core.endGroup()
  }
}

/** The artifact service's 409: the name is taken in this workflow run. */
function isNameTaken(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /\(409\)|already exists/i.test(message)
}

class NameTaken extends ActionError {
  constructor(name: string, filePath: string, spared: string) {
    super(
      `Could not keep the package as artifact "${name}": another job of this workflow run (a matrix leg, say) ` +
        `already keeps an artifact by that name. Give each job its own artifact-name ` +
        `(for example ${name}-\${{ matrix.target }}), or set upload-artifact: false. ` +
        `The package is at ${filePath}.${spared ? ` ${spared}` : ''}`
    )
    this.name = 'NameTaken'
  }
}

function firstLine(text: string): string {
  return oneLine(text.split('\n', 1)[0] ?? '', 300)
}

/** Keeps `file` as an artifact and says how that went; no artifact service is a warning, not a failure. */
export async function keep(
  file: string,
  name: string,
  retentionDays: number | undefined,
  spared = ''
): Promise<Kept> {
  const kept = await keepAsArtifact(file, name, retentionDays, spared)
  if (kept.kept) core.info(`Kept as artifact "${name}" (id ${kept.id})`)
  else core.warning(`The package was not kept as an artifact: ${kept.reason}. It is at ${file}.`)
  return kept
}
