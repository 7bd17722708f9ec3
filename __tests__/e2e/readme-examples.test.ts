/**
 * Every workflow in the README that uses this action is played as GitHub would run it (see
 * workflow.ts) against the simulator, and checked to do what the README says it does: a promote
 * promotes, an export keeps the package, an import after an export imports the same bytes, a
 * plan imports nothing. A new example is tested without anyone adding it here.
 */
import { createHash } from 'node:crypto'
import { afterAll, describe, expect, test } from '@jest/globals'
import { ArtifactService } from '../../sim/artifact-service.js'
import { cleanupRuns } from '../../sim/runner.js'
import {
  DEV_TOKEN,
  environmentWorkspaces,
  PROD_TOKEN,
  SOURCE_TOKEN,
  TEST_TOKEN
} from '../../sim/scenario.js'
import { WorkatoSimulator, type Workspace } from '../../sim/workato.js'
import { readZip, samplePackage } from '../../sim/zip.js'
import { artifactPackage, hasStackTrace, leaks } from './world.js'
import { item } from '../checked.js'
import { output } from './run-values.js'
import {
  eventsOf,
  isOurs,
  matrixLegs,
  readmeExamples,
  playWorkflow,
  type Workflow
} from './workflow.js'

const examples = readmeExamples(isOurs)

/** What `vars.*` hold in the examples' repository. */
const VARIABLES: Array<[RegExp, string]> = [
  [/SNAPSHOT/, '90'],
  [/MANIFEST/, '12'],
  [/FOLDER/, '34']
]

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const literal = (text: string, input: string) =>
  [...text.matchAll(new RegExp(`^\\s*${input}:\\s*'?(\\d+)'?\\s*$`, 'gm'))].map(m => item(m, 1))

/**
 * A simulator holding what the example names: its manifests in the source, its folders (each
 * with a previous release, so a snapshot has something to restore) and snapshot manifests in
 * one target workspace per GitHub environment, each with a token of its own.
 */
function simulatorFor(workflow: Workflow, text: string) {
  const numbersInMatrices = Object.values(workflow.jobs).flatMap(job =>
    matrixLegs(job).flatMap(leg => Object.values(leg).filter(v => /^\d+$/.test(v)))
  )
  const folders = [...new Set(['34', ...literal(text, 'folder-id'), ...numbersInMatrices])]
  const manifests = [...new Set(['12', ...literal(text, 'manifest-id')])]
  const snapshots = [...new Set(['90', ...literal(text, 'snapshot-manifest-id')])]
  const sourceFolders = literal(text, 'source-folder-id')
  const environments = new Set<string>(['(none)'])
  for (const job of Object.values(workflow.jobs)) {
    for (const leg of matrixLegs(job)) {
      const env = typeof job.environment === 'object' ? job.environment.name : job.environment
      if (!env) continue
      environments.add(
        env.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => {
          const value = leg[k]
          if (value === undefined) throw new Error(`environment ${env}: no matrix.${k} in its leg`)
          return value
        })
      )
    }
  }
  const targets = [...environments].map((env, i): Workspace => ({
    name: `target:${env}`,
    token: `wrkprod-TARGET-${i}-${createHash('sha256').update(env).digest('hex').slice(0, 16)}`,
    manifests: {},
    folders,
    folderManifests: Object.fromEntries(snapshots.map(id => [id, item(folders, 0)])),
    folderContents: Object.fromEntries(folders.map(f => [f, samplePackage(['Sync accounts'], 0)])),
    // every imported recipe has a test case, so a run-tests gate has something to run
    testCasesPerRecipe: [{ name: 'Happy path' }]
  }))
  const source: Workspace = {
    name: 'dev',
    token: SOURCE_TOKEN,
    manifests: Object.fromEntries(
      manifests.map(id => [id, samplePackage(['Sync accounts', 'Notify on failure'], 2)])
    ),
    folders: sourceFolders,
    folderContents: Object.fromEntries(
      sourceFolders.map(f => [f, samplePackage(['Sync accounts', 'Notify on failure'], 2)])
    )
  }
  // a workspace with Environments too, for mode deploy (its DEV project is 41)
  const withEnvironments = environmentWorkspaces()
  const sim = new WorkatoSimulator({ workspaces: [source, ...targets, ...withEnvironments] })
  return { sim, tokens: [source, ...targets, ...withEnvironments].map(w => w.token) }
}

/**
 * What the checkout leaves when the example names a package-dir: a release unpacked there
 * earlier (the sample package's files), as a merged pull request left it.
 */
function checkedOutTree(text: string): Record<string, Buffer> {
  const dirs = [...new Set(literalPath(text, 'package-dir'))]
  const files: Record<string, Buffer> = {}
  for (const dir of dirs) {
    for (const e of readZip(samplePackage(['Sync accounts', 'Notify on failure'], 2))) {
      if (!e.name.endsWith('/')) files[`${dir}/${e.name}`] = e.content
    }
  }
  return files
}

const literalPath = (text: string, input: string) =>
  [...text.matchAll(new RegExp(`^\\s*${input}:\\s*'?([\\w./-]+)'?\\s*$`, 'gm'))].map(m =>
    item(m, 1)
  )

/** Whether this run imported anything itself (its import-package-id output is set). */
const importedNow = (run: { outputs: Record<string, string> }) => !!run.outputs['import-package-id']

const stopAfterAll: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const stop of stopAfterAll) await stop()
  await cleanupRuns()
})

describe('README examples', () => {
  test('the README has the examples this test plays', () => {
    expect(examples.map(e => e.workflow.name)).toEqual([
      'Promote to production',
      'Release to every region',
      'Plan, approve, import',
      'Test, approve, release',
      'Deploy with Environments',
      'Unpack the release for review',
      'Review and promote the release in the repository'
    ])
  })

  // An output holds Workato's words; pasted into a script, the shell would run what they say.
  test('no run: step pastes an expression into its script: values reach it through env:', () => {
    const pasted = examples.flatMap(({ line, workflow }) =>
      Object.values(workflow.jobs).flatMap(job =>
        (job.steps ?? []).filter(s => s.run?.includes('${{')).map(s => `${line}: ${s.run}`)
      )
    )
    expect(pasted).toEqual([])
  })

  test.each(examples.map(e => [`${e.line}: ${e.workflow.name ?? 'workflow'}`, e] as const))(
    '%s runs as the README says',
    async (_title, example) => {
      let playedAny = 0
      const { sim: simulator, tokens } = simulatorFor(example.workflow, example.text)
      const sim = await simulator.start()
      sim.exportScript = { ...sim.exportScript, runningChecks: 0 }
      sim.importScript = { ...sim.importScript, runningChecks: 0 }
      stopAfterAll.push(() => sim.stop())
      const token = (env: string | undefined) => sim.workspace(`target:${env ?? '(none)'}`).token
      // mode deploy: the DEV token, and each GitHub environment's token of its Workato environment
      const deploys = /^\s*mode: deploy\s*$/m.test(example.text)
      const environmentToken = (name: string, environment: string | undefined): string =>
        /DEV/.test(name) ? DEV_TOKEN : /prod/i.test(environment ?? '') ? PROD_TOKEN : TEST_TOKEN
      const builds: string[] = []

      // Each trigger is a workflow run of its own, with its own artifacts.
      for (const event of eventsOf(example.workflow)) {
        const artifacts = await new ArtifactService().start()
        stopAfterAll.push(() => artifacts.stop())
        const played = await playWorkflow(example.workflow, {
          artifacts,
          event,
          files: checkedOutTree(example.text),
          simulatorInputs: { 'source-host': sim.apiUrl, 'target-host': sim.apiUrl },
          secret: (name, environment) =>
            deploys
              ? environmentToken(name, environment)
              : /DEV|SOURCE/.test(name)
                ? SOURCE_TOKEN
                : token(environment),
          variable: name => {
            const found = VARIABLES.find(([pattern]) => pattern.test(name))
            if (!found) throw new Error(`vars.${name}: give it a value in the README-examples test`)
            return found[1]
          }
        })
        playedAny += played.length

        const exported = new Set<string>()
        for (const step of played) {
          const { run, inputs } = step
          const where = `${step.job}${Object.keys(step.leg).length ? JSON.stringify(step.leg) : ''}`
          expect({ where, code: run.code, log: run.code === 0 ? '' : run.stdout }).toEqual({
            where,
            code: 0,
            log: ''
          })
          expect(hasStackTrace(run)).toBe(false)
          expect(leaks(run, sim, tokens)).toEqual([])
          const mode = inputs.mode || 'promote'
          const sha = output(run, 'package-sha256')
          const importedHere = sim.imports.filter(
            i => i.sha256 === sha && i.folderId === inputs['folder-id']
          )
          // What each mode promises, gathered per step and compared once: `want` says what the
          // README's reader is promised, `seen` what the run did.
          const seen: Record<string, unknown> = { where, outcome: run.outputs.outcome }
          const want: Record<string, unknown> = { where }
          if (mode === 'export' || mode === 'promote') {
            exported.add(sha)
            const name =
              inputs['artifact-name'] ||
              (inputs['source-folder-id']
                ? `workato-package-folder-${inputs['source-folder-id']}`
                : `workato-package-${inputs['manifest-id']}`)
            const kept = inputs['upload-artifact'] !== 'false'
            const artifact = artifacts.artifacts.find(a => a.name === name)
            seen.artifact = artifact && {
              name,
              sha256: sha256((await artifactPackage(artifact)).content)
            }
            want.artifact = kept ? { name, sha256: sha } : undefined
          }
          if (mode === 'export') want.outcome = 'succeeded'
          if (mode === 'promote') {
            // unchanged: a snapshot showed the target already holds these bytes
            const unchanged = run.outputs.outcome === 'unchanged'
            want.outcome = unchanged ? 'unchanged' : 'succeeded'
            seen.imported = unchanged || importedHere.length > 0
            want.imported = true
          }
          if (mode === 'import') {
            // with a snapshot, what an earlier run (another trigger) imported is not imported
            // again: the same bytes, or (a folder's export is zipped afresh each time, so its
            // bytes differ) the same content, as the plan shows
            const snapshotted = !!inputs['snapshot-manifest-id'] || inputs.snapshot === 'true'
            const plan = run.outputs.plan
              ? (JSON.parse(run.outputs.plan) as { added: string[]; changed: string[] })
              : undefined
            const sameContent =
              !!plan &&
              plan.added.length === 0 &&
              plan.changed.length === 0 &&
              sim.imports.some(i => i.folderId === inputs['folder-id'] && i.sha256 !== sha)
            const already =
              snapshotted && !importedNow(run) && (importedHere.length > 0 || sameContent)
            want.outcome = already ? 'unchanged' : 'succeeded'
            seen.imported = importedHere.length > 0 || (already && sameContent)
            want.imported = true
            // an import after an export job imports exactly the exported bytes
            seen.bytesExportedHere = exported.size === 0 || exported.has(sha)
            want.bytesExportedHere = true
          }
          if (mode === 'deploy') {
            const env = inputs['environment-type']
            const deployment = sim.projects.deployments.find(
              d => String(d.id) === run.outputs['deployment-id']
            )
            builds.push(output(run, 'build-id'))
            // deployed where the job says, looked at through its token, nothing missed there
            seen.deployment = deployment && {
              environment: deployment.environmentType,
              build: String(deployment.buildId)
            }
            want.deployment = { environment: env, build: builds[0] }
            seen.lookedAt = !run.summary.includes('Nothing was checked in')
            want.lookedAt = true
            want.outcome = 'succeeded'
          }
          if (mode === 'unpack') {
            // the export's files, in package-dir; what changed, for the pull request's body
            want.outcome = 'succeeded'
            seen.unpacked = {
              summary: run.summary.includes('Workato release unpacked into package-dir'),
              changes: run.outputs.changes?.startsWith('### Changes to ')
            }
            want.unpacked = { summary: true, changes: true }
          }
          if (mode === 'plan') {
            want.outcome = 'succeeded'
            seen.plan = {
              importPackageId: run.outputs['import-package-id'],
              imported: /^Importing /m.test(run.stdout),
              keys: Object.keys(JSON.parse(output(run, 'plan')) as object).sort()
            }
            want.plan = {
              importPackageId: undefined,
              imported: false,
              keys: ['added', 'changed', 'onlyInTarget', 'unchanged']
            }
          }
          expect(seen).toEqual(want)
        }

        // Build once: every deployment of the run deployed the one build, once per environment
        // (and an example that does not deploy builds nothing)
        expect(new Set(builds).size).toBe(deploys ? 1 : 0)
        expect(sim.projects.builds).toHaveLength(deploys ? 1 : 0)

        // Every manifest an example's runs made is deleted by the end of its run.
        expect(sim.madeManifests.filter(m => !m.deleted)).toEqual([])

        // Every example that imports keeps overlapping releases apart.
        const importing = played.filter(p =>
          ['promote', 'import', ''].includes(p.inputs.mode ?? '')
        )
        for (const { job } of importing) {
          const guarded =
            !!example.workflow.concurrency || !!example.workflow.jobs[job]?.concurrency
          expect({ job, concurrency: guarded }).toEqual({ job, concurrency: true })
        }
      }
      expect(playedAny).toBeGreaterThanOrEqual(1)
    }
  )
})
