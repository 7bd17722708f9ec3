/**
 * Export manifests the action makes for exactly one run (source-folder-id, snapshot: true), and
 * what a given manifest leaves out of its folder.
 *
 * Workato's manifest API (../shared/workato-api.md, "Export manifests"): POST
 * /api/export_manifests with `folder_id` and `auto_generate_assets: true` lists the folder's
 * assets as they are now; there is no list endpoint, so a manifest can be found again only by the
 * id its creation answered. A made manifest is deleted as soon as its export is downloaded or
 * has failed, and by the run frame on any other ending (a cancel among them); its name says
 * which run made it, so one left behind explains itself.
 */
import * as core from '@actions/core'
import { ActionError } from '../shared/errors.js'
import { CLEANUP_MS } from '../shared/cleanup.js'
import { oneLine, plural } from '../shared/text.js'
import type { Deadline } from '../shared/wait.js'
import type { WorkatoClient } from './api/client.js'
import { routes } from './api/routes.js'
import type { Side } from './errors.js'
import { idOf } from './folders.js'
import type { Asset } from './inventory.js'
import type { RunContext } from './run-context.js'

/** The privilege a made manifest needs, as Workato's API client roles name it. */
export const MANIFEST_PRIVILEGE = 'Export manifests: create, delete'

/** A manifest an export used: given by id, or made by this run for a folder. */
export interface ManifestUse {
  id: string
  made?: {
    name: string
    folderId: string
    /** How its deletion ended; undefined while it still exists. */
    deleted?: 'deleted' | { left: string }
  }
  /** A given manifest's export lacks these assets its folder holds now. */
  leftOut?: FolderAsset[]
}

/** What a made manifest is for: the package (source) or the target's snapshot. */
export type ManifestRole = 'export' | 'snapshot'

/**
 * "workato-promote acme/app run 123 attempt 2: export of folder 10": who made it and why, from
 * the runner's variables (checked: they reach Workato and the log), cut to 120 characters.
 */
export function manifestName(
  role: ManifestRole,
  folderId: string,
  env: NodeJS.ProcessEnv = process.env
): string {
  return `workato-promote${runLabel(env)}: ${role} of folder ${folderId}`.slice(0, 120)
}

/**
 * " acme/app run 123 attempt 2" (or " local run"), from the runner's variables, each checked:
 * they reach Workato and the log. `commit` adds " commit 0123456789ab" after the repository.
 */
export function runLabel(env: NodeJS.ProcessEnv = process.env, commit = false): string {
  const repo = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/.test(env.GITHUB_REPOSITORY ?? '')
    ? ` ${env.GITHUB_REPOSITORY}`
    : ''
  const sha =
    commit && /^[0-9a-f]{40}$/.test(env.GITHUB_SHA ?? '')
      ? ` commit ${env.GITHUB_SHA?.slice(0, 12)}`
      : ''
  const runId = runIdOf(env)
  const run = runId ? ` run ${runId} attempt ${attemptOf(env)}` : ' local run'
  return `${repo}${sha}${run}`
}

export function runIdOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return /^[0-9]{1,20}$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID : undefined
}

export function attemptOf(env: NodeJS.ProcessEnv = process.env): number {
  return /^[0-9]{1,6}$/.test(env.GITHUB_RUN_ATTEMPT ?? '') ? Number(env.GITHUB_RUN_ATTEMPT) : 1
}

/**
 * Makes the manifest of `folderId` on `side` and registers its deletion. A 403 names the
 * privilege; an answer lost on the way back names the manifest that may now exist.
 */
export async function makeManifest(
  run: RunContext,
  side: Side,
  role: ManifestRole,
  folderId: string
): Promise<ManifestUse> {
  const { config, record } = run
  const client = run.client(side)
  const name = manifestName(role, folderId)
  const input = side === 'source' ? 'source-folder-id' : 'folder-id'
  core.info(`Creating export manifest "${name}" in the ${side} workspace`)
  const answer = await client.postObject(
    routes.createManifest(),
    {
      export_manifest: {
        name,
        folder_id: Number(folderId),
        auto_generate_assets: true,
        include_tags: config.includeTags,
        include_test_cases: config.includeTestCases
      }
    },
    {
      call: `the creation of an export manifest for folder ${folderId} (${side} workspace)`,
      notFound: `Folder ${folderId} was not found in the ${side} workspace; check ${input} and ${side}-token`,
      check: `Check ${input} (a folder of the ${side} workspace) and ${side}-token.`,
      forbidden:
        `its API client lacks the privilege "${MANIFEST_PRIVILEGE}" (${side} workspace), which ` +
        `${input === 'folder-id' ? 'snapshot: true' : 'source-folder-id'} needs. Add it to the client's role, or ` +
        `give ${input === 'folder-id' ? 'snapshot-manifest-id' : 'manifest-id'} instead. Nothing was exported.`,
      leftBehind: leftWords(name, side)
    }
  )
  const result = answer.result
  const id = idOf(
    typeof result === 'object' && result ? (result as { id?: unknown }).id : undefined
  )
  if (!id) {
    throw new ActionError(
      `Workato's answer to the creation of an export manifest for folder ${folderId} (${side} workspace) ` +
        `names no manifest id, so it cannot be exported or deleted. ${leftWords(name, side)}`
    )
  }
  const use: ManifestUse = { id, made: { name, folderId } }
  record.cleanUps?.add(cleanUpKey(side, id), within => deleteMade(client, use, within))
  core.info(`Made export manifest ${id} for folder ${folderId} (${side} workspace)`)
  return use
}

/** Deletes a made manifest now (once: the run frame will not delete it again). */
export function deleteNow(run: RunContext, side: Side, use: ManifestUse): Promise<void> {
  if (!use.made) return Promise.resolve()
  return run.record.cleanUps?.run(cleanUpKey(side, use.id), CLEANUP_MS) ?? Promise.resolve()
}

function cleanUpKey(side: Side, id: string): string {
  return `export manifest ${id} (${side})`
}

/** A refused or failed delete is a warning naming what is left: never the run's failure. */
async function deleteMade(
  client: WorkatoClient,
  use: ManifestUse,
  within: Deadline
): Promise<void> {
  const made = use.made
  if (!made) return
  try {
    await client.delete(
      routes.deleteManifest(use.id),
      {
        call: `the deletion of export manifest ${use.id} (${client.side} workspace)`,
        notFound: `Export manifest ${use.id} is already gone`,
        forbidden: `its API client lacks the privilege "${MANIFEST_PRIVILEGE}".`
      },
      within
    )
    made.deleted = 'deleted'
    core.info(`Deleted export manifest ${use.id} (${client.side} workspace)`)
  } catch (error) {
    const why = oneLine(error instanceof Error ? error.message : String(error), 400)
    made.deleted = { left: why }
    core.warning(
      `Export manifest ${use.id} ("${made.name}") is left in the ${client.side} workspace: ${why} ` +
        'Delete it there (Workato lists manifests nowhere in its API); it only lists the assets of ' +
        `folder ${made.folderId}.`
    )
  }
}

function leftWords(name: string, side: Side): string {
  return (
    `An export manifest named "${name}" may now exist in the ${side} workspace: delete it there ` +
    "(Workato's API cannot list manifests). Nothing was exported."
  )
}

/** A folder's assets as Workato's folder_assets lists them, by the path each has in a package. */
export interface FolderAsset {
  path: string
  name: string
  type: string
}

/** The most assets read from one folder_assets answer. */
const MAX_FOLDER_ASSETS = 10_000

/** GET /api/export_manifests/folder_assets for one folder: its assets now. */
export async function folderAssets(
  client: WorkatoClient,
  folderId: string
): Promise<FolderAsset[]> {
  const body = await client.getJson(routes.folderAssets(folderId), {
    call: `the list of assets of folder ${folderId} (${client.side} workspace)`,
    notFound: `Folder ${folderId} has no asset list in the ${client.side} workspace`
  })
  const result = body.result as { assets?: unknown } | undefined
  const assets = Array.isArray(result?.assets) ? result.assets : []
  return assets.slice(0, MAX_FOLDER_ASSETS).flatMap(value => {
    if (typeof value !== 'object' || value === null) return []
    const a = value as Record<string, unknown>
    if (a.checked === false || typeof a.zip_name !== 'string' || !a.zip_name) return []
    const folder = typeof a.folder === 'string' ? a.folder.replace(/^\/+|\/+$/g, '') : ''
    return [
      {
        path: folder ? `${folder}/${a.zip_name}` : a.zip_name,
        name: oneLine(typeof a.name === 'string' ? a.name : a.zip_name, 100),
        type: oneLine(typeof a.type === 'string' ? a.type : 'asset', 40)
      }
    ]
  })
}

/**
 * The folder's assets the package does not hold. By path, and by file name when the path differs
 * (the form of `folder` in Workato's answer is not documented).
 */
export function leftOut(folder: FolderAsset[], pkg: Asset[]): FolderAsset[] {
  const paths = new Set(pkg.map(a => a.path))
  const names = new Set(pkg.map(a => a.path.split('/').at(-1)))
  return folder.filter(a => !paths.has(a.path) && !names.has(a.path.split('/').at(-1)))
}

/**
 * The warning for a given manifest whose export leaves out assets its folder holds now: what is
 * missing, and the two ways out.
 */
export function leftOutWarning(
  manifestId: string,
  folderId: string,
  missing: FolderAsset[],
  instead: string
): string {
  const shown = missing
    .slice(0, 10)
    .map(a => `${a.name} (${a.type})`)
    .join(', ')
  const more = missing.length > 10 ? `, and ${missing.length - 10} more` : ''
  return (
    `Export manifest ${manifestId} leaves out ${plural(missing.length, 'asset')} of folder ${folderId}: ` +
    `${shown}${more}. Edit the manifest in Workato, or use ${instead}.`
  )
}
