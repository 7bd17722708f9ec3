/**
 * Mode deploy's looks: the project in DEV (pre-flight), and the project of the same name in the
 * TEST or PROD environment through target-token, before the deployment (what runs there, for
 * keep-running and the connection check) and after it (what a deployment cannot say: which
 * recipes are stopped, which connections are not authorized). Looking is advisory: what keeps
 * the action from looking is said, and only a refused token stops the run.
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { mapPool } from '../../shared/pool.js'
import { capitalize, oneLine, plural } from '../../shared/text.js'
import { checkOrWarn } from '../advisory.js'
import { PARALLEL_READS } from '../folders.js'
import type { DeployConfig } from '../inputs.js'
import { describeRef, findProject, listProjects, type Project } from '../projects.js'
import type { EnvironmentLook, RecipeState } from '../record.js'
import type { RunContext } from '../run-context.js'
import { recipesOf } from './running.js'
import { preflight } from './preflight.js'

/** The most names one warning lists. */
const NAMED = 8

export function environmentName(config: DeployConfig): string {
  return config.environmentType.toUpperCase()
}

/**
 * Pre-flight of a deployment, its reads side by side: the DEV token's workspace (with
 * preflight), the DEV project (always: its id, name and folder are needed), and the environment's
 * projects through target-token (a refused token stops here, before anything is built).
 */
export async function findProjects(
  run: RunContext,
  config: DeployConfig
): Promise<{ project: Project; there?: Project | 'absent' }> {
  run.record.stage = 'projects'
  const [, projects, there] = await Promise.all([
    preflight(run, 'source'),
    listProjects(run.client('source')),
    config.target ? lookThere(run, config) : Promise.resolve(undefined)
  ])
  const project = findProject(projects, config.project)
  if (!project) {
    const input = 'projectId' in config.project ? 'project-id' : 'project-folder-id'
    throw new ActionError(
      `${capitalize(describeRef(config.project))} was not found among the ${plural(projects.length, 'project')} ` +
        `of the DEV environment (pre-flight: nothing was built or deployed); check ${input} and that source-token ` +
        'is the DEV environment’s.'
    )
  }
  const deploy = (run.record.deploy ??= {})
  deploy.project = project
  core.info(`Project ${project.id} ("${project.name}") in DEV, folder ${project.folderId ?? '?'}`)
  if (!there) return { project }
  const found = there.find(p => p.name === project.name)
  deploy.environment = { folderId: found?.folderId }
  if (!found) {
    core.info(
      `${environmentName(config)} has no project "${project.name}" yet: this deployment makes it.`
    )
  }
  return { project, there: found ?? 'absent' }
}

/** The environment's projects; undefined when they could not be read (said, not a failure). */
async function lookThere(run: RunContext, config: DeployConfig): Promise<Project[] | undefined> {
  const env = environmentName(config)
  const projects = await checkOrWarn(() => listProjects(run.client('target')), {
    could: `Could not list the projects of the ${env} environment with target-token`,
    privileges: ['Projects & folders'],
    then: `nothing is checked in ${env}`,
    stopsOn: 'refused token',
    stop: run.deadline.signal
  })
  if (!projects) {
    ;(run.record.deploy ??= {}).environment = {
      unread: `the projects of ${env} could not be listed with target-token`
    }
  }
  return projects
}

/**
 * After the deployment: the project in the environment (found again by name when it was not
 * there before), every folder below it, its recipes and its connections, each listed once.
 */
export async function lookAfter(
  run: RunContext,
  config: DeployConfig,
  project: Project,
  recipesNow?: RecipeState[]
): Promise<void> {
  const deploy = run.record.deploy
  if (!config.target || !deploy?.environment || deploy.environment.unread) return
  run.record.stage = 'look at the environment'
  const env = environmentName(config)
  const look = await checkOrWarn(
    () => readEnvironment(run, deploy.environment?.folderId, project, recipesNow),
    {
      could: `Could not look at project "${project.name}" in ${env} after the deployment`,
      privileges: ['Projects & folders', 'Recipes', 'Connections'],
      then: `the deployment's result in ${env} is not checked`,
      stopsOn: 'nothing',
      stop: run.deadline.signal
    }
  )
  if (!look) {
    deploy.environment = {
      ...deploy.environment,
      unread: `the project in ${env} could not be read after the deployment`
    }
    return
  }
  deploy.environment = look
  warnAbout(look, env, project)
}

async function readEnvironment(
  run: RunContext,
  known: string | undefined,
  project: Project,
  recipesNow: RecipeState[] | undefined
): Promise<EnvironmentLook> {
  const client = run.client('target')
  const folderId =
    known ?? (await listProjects(client)).find(p => p.name === project.name)?.folderId
  if (!folderId) return {}
  // keep-running listed the whole tree after the deployment already: its lists are read once
  const tree = await run.folderTree(folderId, !recipesNow)
  const [recipes, lists] = await Promise.all([
    recipesNow ?? recipesOf(client, tree.ids),
    mapPool(tree.ids, PARALLEL_READS, id => run.connectionsIn(id, true))
  ])
  for (const r of recipes) (run.record.recipeNames ??= new Map()).set(r.id, r.name)
  const connections = lists.flatMap((rows, i) =>
    rows.map(row => ({
      name: typeof row.name === 'string' ? oneLine(row.name, 120) : '?',
      application: typeof row.application === 'string' ? oneLine(row.application, 80) : '?',
      folderId: tree.ids[i] ?? folderId,
      authorized: row.authorization_status === 'success'
    }))
  )
  return { folderId, recipes, connections }
}

function warnAbout(look: EnvironmentLook, env: string, project: Project): void {
  if (!look.folderId) {
    core.warning(
      `After the deployment, ${env} shows no project "${project.name}" to look at: check it in Workato.`
    )
    return
  }
  const stopped = (look.recipes ?? []).filter(r => !r.running)
  if (stopped.length > 0) {
    core.warning(
      `${plural(stopped.length, 'recipe')} of ${look.recipes?.length ?? 0} in project "${project.name}" ` +
        `${stopped.length === 1 ? 'is' : 'are'} stopped in ${env} after the deployment: ${names(stopped.map(r => r.name))}. ` +
        'Start them in Workato once their connections work (keep-running starts only those that ran before).'
    )
  }
  const unauthorized = (look.connections ?? []).filter(c => !c.authorized)
  if (unauthorized.length > 0) {
    core.warning(
      `${plural(unauthorized.length, 'connection')} of project "${project.name}" ${unauthorized.length === 1 ? 'is' : 'are'} ` +
        `not authorized in ${env}: ${names(unauthorized.map(c => `${c.name} (${c.application})`))}. A deployment ` +
        `does not carry credentials: connect them in the ${env} environment.`
    )
  }
}

function names(list: string[]): string {
  const shown = list.slice(0, NAMED).map(n => `"${n}"`)
  return list.length > NAMED
    ? `${shown.join(', ')} and ${list.length - NAMED} more`
    : shown.join(', ')
}
