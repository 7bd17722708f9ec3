import * as path from 'node:path'
import * as core from '@actions/core'
import { ActionError } from './errors.js'

export type Kept =
  { kept: true; id: number; size: number; digest?: string } | { kept: false; reason: string }

/**
 * Keeps the package as a workflow artifact. Where there is no artifact service (outside Actions,
 * or GHES) that is said and the run goes on: the package is still on disk. Any other failure
 * stops the run, before anything is imported.
 */
export async function keepAsArtifact(
  filePath: string,
  name: string,
  retentionDays: number | undefined,
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
  try {
    const result = await new DefaultArtifactClient().uploadArtifact(
      name,
      [filePath],
      path.dirname(filePath),
      {
        retentionDays,
        // The package is already deflated; compressing it again costs time for nothing.
        compressionLevel: 0
      }
    )
    if (result.id === undefined) throw new Error('the artifact service returned no artifact id')
    return { kept: true, id: result.id, size: result.size ?? 0, digest: result.digest }
  } catch (error) {
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
        'Choose another artifact-name if one by that name already exists in this run, or set upload-artifact: false.'
    )
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300)
}
