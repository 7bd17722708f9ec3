/**
 * Running recipes stay running. Before the import, the recipes of the target folder and its
 * subfolders with their `running` flag; after it (and after a rollback), the folders that held
 * a running recipe again (with start-new-recipes, the whole tree, listed afresh). A
 * recipe that was running and is not is started once; with start-new-recipes, so is a recipe
 * that did not exist before. The job's verdict does not change: this is about production.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { ANNOTATIONS_PER_STEP } from '../../shared/report.js'
import { mapPool } from '../../shared/pool.js'
import { oneLine, plural } from '../../shared/text.js'
import type { WorkatoClient } from '../api/client.js'
import { routes } from '../api/routes.js'
import { idOf, listAll, PARALLEL_READS, type Row } from '../folders.js'
import { checkOrWarn } from '../advisory.js'
import type { ImportingConfig } from '../inputs.js'

/** Where recipes are kept running, and which: an import's folder, or a deployed project's. */
export type RunningScope = Pick<ImportingConfig, 'folderId' | 'keepRunning' | 'startNewRecipes'> & {
  /** What may stop recipes, in the log's words (default: the import). */
  change?: string
  /** List the whole tree afresh after the change, for a caller that reports every recipe. */
  wholeTree?: boolean
}
import type { RecipeState, RunRecord } from '../record.js'
import { fieldReasons } from '../errors.js'
import type { RunContext } from '../run-context.js'

/** Workato's platform quota: a workspace holds at most this many recipes. */
export const MAX_RECIPES = 5_000
/**
 * Starts one run makes at most: each is a write paced at the recipe-lifecycle quota, and an
 * import that leaves more than this stopped is a case for a person, not for a loop of PUTs.
 */
export const MAX_STARTS = 500

/** The recipes before the import, or undefined when they could not be listed (a warning). */
export async function recipesBefore(
  run: RunContext,
  config: RunningScope
): Promise<RecipeState[] | undefined> {
  if (!config.keepRunning && !config.startNewRecipes) return undefined
  const before = await listOrWarn(
    run,
    `before ${config.change ?? 'the import'}`,
    async () => (await run.folderTree(config.folderId)).ids
  )
  nameRecipes(run.record, before)
  return before
}

/** The summary names recipes by these lists; the import's results carry ids only. */
function nameRecipes(record: RunRecord, recipes: RecipeState[] | undefined): void {
  for (const r of recipes ?? []) (record.recipeNames ??= new Map()).set(r.id, r.name)
}

/**
 * Starts what the change stopped; with `wholeTree`, answers every recipe of the tree as it
 * stands after the starts (undefined when the lists could not be read).
 */
export async function keepRunning(
  run: RunContext,
  config: RunningScope,
  before: RecipeState[] | undefined
): Promise<RecipeState[] | undefined> {
  if (!before) return undefined
  const record = run.record
  // While it runs a cancel must say so; after it, the stage is again where the verdict was made.
  const verdictStage = record.stage
  record.stage = 'restart recipes'
  try {
    return await restart(run, config, before)
  } finally {
    record.stage = verdictStage
  }
}

async function restart(
  run: RunContext,
  config: RunningScope,
  before: RecipeState[]
): Promise<RecipeState[] | undefined> {
  const record = run.record
  const client = run.client('target')
  // Only a recipe that ran before can have been stopped: its folders are read again. New
  // recipes may be anywhere, in folders the import made too: only then is the tree listed again.
  const after = await listOrWarn(run, `after ${config.change ?? 'the import'}`, async () =>
    config.startNewRecipes || config.wholeTree
      ? (await run.folderTree(config.folderId, true)).ids
      : [...new Set(before.filter(r => r.running).map(r => r.folderId))]
  )
  nameRecipes(record, after)
  if (!after) return undefined
  const was = new Map(before.map(r => [r.id, r]))
  const stopped = after.filter(r => was.get(r.id)?.running && !r.running)
  const fresh = after.filter(r => !was.has(r.id) && !r.running)
  const toStart = [...(config.keepRunning ? stopped : []), ...(config.startNewRecipes ? fresh : [])]
  const running = (record.running = {
    stoppedByImport: stopped,
    started: [] as RecipeState[],
    refused: [] as Array<RecipeState & { why: string }>
  })
  const acknowledged: RecipeState[] = []
  if (toStart.length > MAX_STARTS) {
    const why = `not started: Workato's lists leave ${toStart.length} recipes to start, more than the ${MAX_STARTS} one run starts`
    running.refused.push(...toStart.map(r => ({ ...r, why })))
    core.warning(
      `Running recipes: after ${config.change ?? 'the import'}, Workato's lists of folder ${config.folderId} and below show ${toStart.length} ` +
        `recipes to start, more than the ${MAX_STARTS} the action starts in one run; it started none. They are in ` +
        'stopped-recipes: start them in Workato, or check the lists if that many cannot be right.'
    )
    return after
  }
  // one at a time: each start is a write, and Workato's answers say nothing of the others
  for (const recipe of toStart) {
    const why = await start(client, recipe.id)
    if (why) running.refused.push({ ...recipe, why })
    else acknowledged.push(recipe)
  }
  await confirmStarts(run, acknowledged, running)
  if (stopped.length > 0 || toStart.length > 0) {
    core.info(
      `Running recipes: ${stopped.length} stopped by ${config.change ?? 'the import'}, ${running.started.length} started, ${running.refused.length} could not be started.`
    )
  }
  // the summary names every one; GitHub shows only the first warnings of a step
  const warned = running.refused.slice(0, ANNOTATIONS_PER_STEP)
  for (const r of warned) {
    core.warning(`Recipe ${r.id} ("${r.name}") is stopped and could not be started: ${r.why}`)
  }
  if (running.refused.length > warned.length) {
    core.warning(
      `${running.refused.length - warned.length} more recipes are stopped and could not be started: ` +
        'the job summary names each (stopped-recipes has them all).'
    )
  }
  // the tree as it stands now: what was started and confirmed runs
  const confirmed = new Set(running.started.map(r => r.id))
  return after.map(r => (confirmed.has(r.id) ? { ...r, running: true, stopCause: undefined } : r))
}

/**
 * Workato's `{success: true}` acknowledges a start; it does not prove the recipe runs (its Go
 * CLI reads `running` back). One list of each folder involved, not one call per recipe, says.
 */
async function confirmStarts(
  run: RunContext,
  acknowledged: RecipeState[],
  running: NonNullable<RunRecord['running']>
): Promise<void> {
  if (acknowledged.length === 0) return
  const folders = [...new Set(acknowledged.map(r => r.folderId))]
  const now = await checkOrWarn(() => recipesOf(run.client('target'), folders), {
    could: `Could not read back the ${plural(acknowledged.length, 'recipe')} Workato acknowledged starting`,
    privileges: ['Recipes'],
    then: 'they are reported as started, as Workato acknowledged',
    stopsOn: 'nothing',
    stop: run.deadline.signal
  })
  const state = new Map((now ?? []).map(r => [r.id, r]))
  for (const recipe of acknowledged) {
    const seen = state.get(recipe.id)
    if (!now || seen?.running) running.started.push(recipe)
    else {
      const cause = seen?.stopCause ? ` (stop cause: ${seen.stopCause})` : ''
      running.refused.push({
        ...recipe,
        why: seen
          ? `start acknowledged, not running${cause}`
          : 'start acknowledged, not in its folder any more'
      })
    }
  }
}

/** The recipes of these folders; a list that cannot be read never changes the verdict. */
function listOrWarn(
  run: RunContext,
  when: string,
  folders: () => Promise<string[]>
): Promise<RecipeState[] | undefined> {
  return checkOrWarn(async () => recipesOf(run.client('target'), await folders()), {
    could: `Could not list the target folder's recipes ${when}`,
    privileges: ['Projects & folders', 'Recipes'],
    then: 'running recipes are not checked',
    stopsOn: 'nothing',
    stop: run.deadline.signal
  })
}

/**
 * Every recipe of these folders, once, a few folders at a time. The docs say a folder's list
 * holds its own recipes and to walk subfolders; should a list ever include them too, a recipe
 * must still not be started twice.
 */
export async function recipesOf(client: WorkatoClient, folders: string[]): Promise<RecipeState[]> {
  const recipes = new Map<string, RecipeState>()
  const lists = await mapPool(folders, PARALLEL_READS, folder =>
    listAll(
      client,
      async page => {
        const body = await client.getJson(routes.recipes(folder, page), {
          call: `the list of recipes in folder ${folder}`,
          notFound: `Folder ${folder} has no recipe list in the target workspace`,
          large: 'a page of recipes, asked for without their code'
        })
        return Array.isArray(body.items) ? (body.items as unknown[]) : []
      },
      `The list of recipes in folder ${folder}`,
      MAX_RECIPES
    )
  )
  folders.forEach((folder, i) => {
    for (const row of lists[i] ?? []) {
      const recipe = toState(row, folder)
      if (recipe) recipes.set(recipe.id, recipe)
    }
  })
  if (recipes.size > MAX_RECIPES) {
    throw new ActionError(
      `The target folder's lists hold more than ${MAX_RECIPES} recipes, Workato's limit for a whole workspace: ` +
        'the action does not trust these lists.'
    )
  }
  return [...recipes.values()]
}

function toState(row: Row, listed: string): RecipeState | undefined {
  const id = idOf(row.id)
  if (!id) return undefined
  return {
    id,
    name: typeof row.name === 'string' ? oneLine(row.name, 120) : id,
    running: row.running === true,
    folderId: idOf(row.folder_id) ?? listed,
    stopCause: typeof row.stop_cause === 'string' ? oneLine(row.stop_cause, 80) : undefined
  }
}

/** Starts a recipe; the reason it was refused, or undefined when Workato acknowledged it. */
async function start(client: WorkatoClient, id: string): Promise<string | undefined> {
  try {
    const body = await client.putJson(routes.startRecipe(id), {
      call: `the start of recipe ${id}`,
      notFound: `Recipe ${id} was not found in the target workspace`
    })
    // Workato answers 200 with success: false when it refuses: the body decides.
    if (body.success === true) return undefined
    return whyNotStarted(body)
  } catch (error) {
    return oneLine(error instanceof Error ? error.message : String(error), 300)
  }
}

/**
 * Why Workato refused a start: code_errors and config_errors are nested arrays such as
 * [[1, [["account_id", 32148, "unconnected", {...}]]]] (a step, then tuples of 3 to 5 elements).
 * Read defensively: anything of another shape is shown as it came.
 */
export function whyNotStarted(body: Record<string, unknown>): string {
  const said: string[] = []
  for (const key of ['code_errors', 'config_errors']) {
    const list = body[key]
    if (!Array.isArray(list)) continue
    for (const item of list) {
      const [step, errors] = Array.isArray(item) ? (item as unknown[]) : []
      if ((typeof step === 'number' || typeof step === 'string') && Array.isArray(errors)) {
        for (const e of errors) {
          const [label, , message] = Array.isArray(e) ? (e as unknown[]) : []
          said.push(
            `step ${step}: ${[label, message].filter(x => typeof x === 'string').join(' ') || JSON.stringify(e)}`
          )
        }
      } else said.push(JSON.stringify(item))
    }
  }
  // refusals recorded live by Workato's Go CLI also come as {success: false, errors: {…}}
  const errors = fieldReasons(body.errors)
  if (errors) said.push(errors)
  return oneLine(said.join('; ') || 'Workato gave no reason', 300)
}
