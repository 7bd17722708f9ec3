/**
 * Running recipes stay running. Before the import, the recipes of the target folder and its
 * subfolders with their `running` flag; after it (and after a rollback), the same list again. A
 * recipe that was running and is not is started once; with start-new-recipes, so is a recipe
 * that did not exist before. The job's verdict does not change: this is about production.
 */
import * as core from '@actions/core'
import { oneLine } from '../../shared/text.js'
import type { WorkatoClient } from '../client.js'
import { folderTree, listAll, type Row } from '../folders.js'
import { lookOrWarn } from '../look.js'
import type { ImportConfig, PromoteConfig } from '../inputs.js'
import type { RecipeState, RunRecord } from '../record.js'
import { clientFor } from '../session.js'

type Targeted = PromoteConfig | ImportConfig

/** The recipes before the import, or undefined when they could not be listed (a warning). */
export async function recipesBefore(
  config: Targeted,
  record: RunRecord
): Promise<RecipeState[] | undefined> {
  if (!config.keepRunning && !config.startNewRecipes) return undefined
  record.stage = 'running recipes'
  const before = await listOrWarn(
    clientFor('target', config.target),
    config.folderId,
    'before the import'
  )
  nameRecipes(record, before)
  return before
}

/** The summary names recipes by these lists; the import's results carry ids only. */
function nameRecipes(record: RunRecord, recipes: RecipeState[] | undefined): void {
  for (const r of recipes ?? []) (record.recipeNames ??= {})[r.id] = r.name
}

export async function keepRunning(
  config: Targeted,
  record: RunRecord,
  before: RecipeState[] | undefined
): Promise<void> {
  if (!before) return
  // While it runs a cancel must say so; after it, the stage is again where the verdict was made.
  const verdictStage = record.stage
  record.stage = 'restart recipes'
  try {
    await restart(config, record, before)
  } finally {
    record.stage = verdictStage
  }
}

async function restart(config: Targeted, record: RunRecord, before: RecipeState[]): Promise<void> {
  const client = clientFor('target', config.target)
  const after = await listOrWarn(client, config.folderId, 'after the import')
  nameRecipes(record, after)
  if (!after) return
  const was = new Map(before.map(r => [r.id, r]))
  const stopped = after.filter(r => was.get(r.id)?.running && !r.running)
  const fresh = after.filter(r => !was.has(r.id) && !r.running)
  const toStart = [...(config.keepRunning ? stopped : []), ...(config.startNewRecipes ? fresh : [])]
  const running = (record.running = {
    stoppedByImport: stopped,
    started: [] as RecipeState[],
    refused: [] as Array<RecipeState & { why: string }>
  })
  for (const recipe of toStart) {
    const why = await start(client, recipe.id)
    if (why) running.refused.push({ ...recipe, why })
    else running.started.push(recipe)
  }
  if (stopped.length > 0 || toStart.length > 0) {
    core.info(
      `Running recipes: ${stopped.length} stopped by the import, ${running.started.length} started, ${running.refused.length} could not be started.`
    )
  }
  for (const r of running.refused) {
    core.warning(`Recipe ${r.id} ("${r.name}") is stopped and could not be started: ${r.why}`)
  }
}

/** The recipes of the folder tree; a list that cannot be read never changes the verdict. */
function listOrWarn(
  client: WorkatoClient,
  folderId: string,
  when: string
): Promise<RecipeState[] | undefined> {
  return lookOrWarn(() => listRecipes(client, folderId), {
    could: `Could not list the target folder's recipes ${when}`,
    privileges: ['Projects & folders', 'Recipes'],
    then: 'running recipes are not checked',
    decides: 'nothing'
  })
}

/**
 * Every recipe of the tree, once. The docs say a folder's list holds its own recipes and to walk
 * subfolders; should a list ever include them too, a recipe must still not be started twice.
 */
async function listRecipes(client: WorkatoClient, folderId: string): Promise<RecipeState[]> {
  const recipes = new Map<string, RecipeState>()
  for (const folder of await folderTree(client, folderId)) {
    const items = await listAll(page =>
      client
        .getJson(`/api/recipes?folder_id=${folder}&${page}`, {
          call: `the list of recipes in folder ${folder}`,
          notFound: `Folder ${folder} has no recipe list in the target workspace`
        })
        .then(body => (Array.isArray(body.items) ? body.items : []))
    )
    for (const recipe of items.map(toState)) recipes.set(recipe.id, recipe)
  }
  return [...recipes.values()]
}

function toState(row: Row): RecipeState {
  return {
    id: String(row.id),
    name: typeof row.name === 'string' ? oneLine(row.name, 120) : String(row.id),
    running: row.running === true
  }
}

/** Starts a recipe; the reason it was refused, or undefined when it runs. */
async function start(client: WorkatoClient, id: string): Promise<string | undefined> {
  try {
    const body = await client.putJson(`/api/recipes/${id}/start`, {
      call: `the start of recipe ${id}`,
      notFound: `Recipe ${id} was not found in the target workspace`
    })
    // Workato answers 200 with success: false when it refuses: the body decides.
    if (body.success === true) return undefined
    return refusal(body)
  } catch (error) {
    return oneLine(error instanceof Error ? error.message : String(error), 300)
  }
}

/**
 * Why Workato refused a start: code_errors and config_errors are nested arrays such as
 * [[1, [["account_id", 32148, "unconnected", {...}]]]] (a step, then tuples of 3 to 5 elements).
 * Read defensively: anything of another shape is shown as it came.
 */
export function refusal(body: Record<string, unknown>): string {
  const said: string[] = []
  for (const key of ['code_errors', 'config_errors']) {
    const list = body[key]
    if (!Array.isArray(list)) continue
    for (const item of list) {
      const [step, errors] = Array.isArray(item) ? item : [undefined, undefined]
      if ((typeof step === 'number' || typeof step === 'string') && Array.isArray(errors)) {
        for (const e of errors) {
          const [label, , message] = Array.isArray(e) ? e : []
          said.push(
            `step ${step}: ${[label, message].filter(x => typeof x === 'string').join(' ') || JSON.stringify(e)}`
          )
        }
      } else said.push(JSON.stringify(item))
    }
  }
  return oneLine(said.join('; ') || 'Workato gave no reason', 300)
}
