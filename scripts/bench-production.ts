/**
 * The production rows of `npm run bench`: the action against curl on a Workato that is far away
 * and slow (the real link), and on a production-sized folder with Workato's quotas enforced on
 * Workato's real minute (the big workspace). Each row is a ratio measured in the same run.
 */
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { cleanupRuns, repoRoot, runAction } from '../sim/runner.js'
import { bigTarget, FOLDER_ID, promoteInputs, realLinkTarget } from '../sim/scenario.js'
import { WORKATO_QUOTAS, WorkatoSimulator, type Collection } from '../sim/workato.js'
import { packageUsing } from '../sim/zip.js'
import { median, type Row } from './bench-world.js'

const root = repoRoot()
const SOURCE = 'wrkprod-BENCH-SOURCE-5b7d9f1a3c'
const TARGET = 'wrkprod-BENCH-TARGET-8e0c2a4b6d'
const MANIFEST = '3'

/** A package shaped like the real ones: two recipes using one connection, at the package root. */
function smallPackage(): Buffer {
  const crm = { provider: 'salesforce', account: { name: 'CRM', folder: '' } }
  return packageUsing([
    { name: 'Sync accounts', apps: [crm] },
    { name: 'Sync contacts', apps: [crm] }
  ])
}

async function world(options: {
  latencyMs: number
  jobMs: number
  target: ReturnType<typeof bigTarget>
  quotas: boolean
}): Promise<WorkatoSimulator> {
  const sim = await new WorkatoSimulator({
    workspaces: [
      { name: 'dev', token: SOURCE, manifests: { [MANIFEST]: smallPackage() }, folders: [] },
      {
        name: 'prod',
        token: TARGET,
        manifests: {},
        ...options.target,
        connections: [
          {
            id: 9,
            application: 'salesforce',
            name: 'CRM',
            folderId: FOLDER_ID,
            authorizationStatus: 'success'
          }
        ]
      }
    ],
    latencyMs: options.latencyMs,
    quotas: options.quotas ? { perWindow: WORKATO_QUOTAS } : undefined
  }).start()
  const job = { runningChecks: 0, minMs: options.jobMs }
  sim.exportScript = { ...sim.exportScript, ...job }
  sim.importScript = { ...sim.importScript, ...job }
  return sim
}

async function curl(sim: WorkatoSimulator, work: string): Promise<number> {
  const out = path.join(work, 'curl-production.zip')
  const started = process.hrtime.bigint()
  const code = await new Promise<number | null>(resolve =>
    spawn(
      'bash',
      [
        path.join(root, 'scripts', 'curl-promote.sh'),
        sim.apiUrl,
        SOURCE,
        TARGET,
        MANIFEST,
        FOLDER_ID,
        out
      ],
      { stdio: 'inherit', env: { ...process.env, POLL_S: '0.2' } }
    ).on('close', resolve)
  )
  if (code !== 0) throw new Error(`curl-promote.sh failed (${code})`)
  await fs.rm(out, { force: true })
  return Number(process.hrtime.bigint() - started) / 1e6
}

async function action(
  sim: WorkatoSimulator,
  inputs: Record<string, string> = {},
  expectFailure = false
): Promise<{ ms: number; outcome: string | undefined; started: string[]; log: string }> {
  const started = process.hrtime.bigint()
  const run = await runAction({
    inputs: {
      ...promoteInputs(sim),
      'source-token': SOURCE,
      'target-token': TARGET,
      'manifest-id': MANIFEST,
      // what curl does not do either; every check is on (their defaults)
      'upload-artifact': 'false',
      ...inputs
    }
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  await cleanupRuns()
  if (run.code !== 0 && !expectFailure) {
    throw new Error(`action failed:\n${run.stdout}\n${run.stderr}`)
  }
  return {
    ms,
    outcome: run.outputs.outcome,
    started: JSON.parse(run.outputs['started-recipes'] ?? '[]') as string[],
    log: run.stdout
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

export async function productionRows(work: string, pairs: number): Promise<Row[]> {
  const rows: Row[] = []

  // The real link: 100 ms to every answer, 6 s jobs, 7 folders and 48 running recipes.
  {
    const sim = await world({
      latencyMs: 100,
      jobMs: 6000,
      target: realLinkTarget({ rootId: FOLDER_ID }),
      quotas: false
    })
    const ratios: number[] = []
    const a: number[] = []
    const b: number[] = []
    for (let i = 0; i < pairs; i++) {
      const curlMs = await curl(sim, work)
      a.push(curlMs)
      const run = await action(sim)
      if (run.outcome !== 'succeeded') throw new Error(`real link: ${run.outcome}\n${run.log}`)
      b.push(run.ms)
      ratios.push(run.ms / curlMs)
    }
    const ratio = median(ratios)
    console.log(
      `real link: curl ${a.map(seconds).join(' ')} | action ${b.map(seconds).join(' ')} | ratio ${ratio.toFixed(3)}`
    )
    rows.push({
      measure: `the real link: every answer 100 ms away, 6 s jobs, 2 recipes, a target of 7 folders and 48 running recipes, every check on (median of ${pairs} pairs)`,
      baseline: `curl polling every 0.2 s ${seconds(median(a))}`,
      action: seconds(median(b)),
      ratio: `${ratio.toFixed(2)}×`,
      target: '≤ 1.10×',
      met: ratio <= 1.1 ? 'yes' : 'no'
    })
    await sim.stop()
  }

  // The big workspace: 41 folders, 315 running recipes with code, Workato's quotas on its minute.
  {
    const big = () => bigTarget({ folders: 41, recipes: 315, topRecipes: 120, rootId: FOLDER_ID })
    // curl on a simulator of its own: its calls must not count against the action's quotas
    const curlSim = await world({ latencyMs: 50, jobMs: 6000, target: big(), quotas: true })
    const baseline = await curl(curlSim, work)
    await curlSim.stop()
    const target = big()
    const sim = await world({ latencyMs: 50, jobMs: 6000, target, quotas: true })
    const [recipe] = target.recipes ?? []
    if (!recipe) throw new Error('the big workspace has no recipe')
    const stopped = recipe.id
    sim.importScript = {
      ...sim.importScript,
      recipeStatus: [{ id: stopped, import_result: 'restart_failed' }]
    }
    const run = await action(sim, { 'restart-recipes': 'true' }, true)
    const folderLists = sim.requests.filter(r => r.url.startsWith('/api/folders?'))
    const listedOnce = new Set(folderLists.map(r => r.url)).size === folderLists.length
    const limited = sim.rateLimited.length
    const collections: Collection[] = [
      'rlm',
      'import',
      'recipes',
      'connections',
      'workspace',
      'folders'
    ]
    const perCollection = collections.map(c => `${c} ${sim.callsBy(c)}`).join(', ')
    const done = run.outcome === 'failed' && run.started.includes(String(stopped))
    console.log(
      `big workspace: ${seconds(run.ms)} (curl ${seconds(baseline)}), ${limited} answers of 429, ` +
        `${folderLists.length} folder lists, calls: ${perCollection}`
    )
    rows.push({
      measure: `the big workspace: 41 folders, 315 running recipes with code, Workato's quotas on its real minute, 50 ms away; the action's calls: ${perCollection}`,
      baseline: `curl ${seconds(baseline)}`,
      action: `${seconds(run.ms)}; ${limited} answers of 429; ${folderLists.length} folder lists${listedOnce ? ', each once' : ', some twice'}`,
      ratio: `${(run.ms / baseline).toFixed(2)}×`,
      target:
        'verdict reached, stopped recipe started, ≤ 3 answers of 429, each folder listed once',
      met: done && limited <= 3 && listedOnce ? 'yes' : 'no'
    })
    await sim.stop()
  }
  return rows
}
