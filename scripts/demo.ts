/**
 * `npm run demo`: a full promotion against the local Workato simulator and the artifact
 * stand-in, running dist/index.js as a runner would, then its outputs and job summary.
 */
import { ArtifactService } from '../sim/artifact-service.js'
import { runAction } from '../sim/runner.js'
import { promoteInputs, twoWorkspaces } from '../sim/scenario.js'

const sim = await twoWorkspaces().start()
const artifacts = await new ArtifactService().start()
sim.exportScript = {
  ...sim.exportScript,
  runningChecks: 2,
  runningStatuses: ['in_progress', 'processing']
}
sim.importScript = { ...sim.importScript, runningChecks: 1 }
try {
  console.log(
    `Workato simulator: API ${sim.apiUrl}, storage ${sim.storageUrl}; artifact service ${artifacts.url}\n`
  )
  console.log('--- the action ----------------------------------------------------------')
  const run = await runAction({ inputs: promoteInputs(sim), env: artifacts.env(), echo: true })
  console.log(
    `--- exit code ${run.code} (${run.ms} ms) ----------------------------------------------`
  )
  console.log('\n--- outputs (GITHUB_OUTPUT) ----------------------------------------------')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`${name} = ${value}`)
  console.log('\n--- job summary (GITHUB_STEP_SUMMARY) ------------------------------------')
  console.log(run.summary)
  const kept = artifacts.artifacts.find(a => a.finalized)
  console.log('--- artifact service ------------------------------------------------------')
  console.log(
    kept
      ? `artifact "${kept.name}" id ${kept.id}: ${kept.blobSize} bytes, ${kept.declaredHash}`
      : 'no artifact kept'
  )
  const imported = sim.imports[0]
  console.log(
    `imported into folder ${imported?.folderId}: ${imported?.size} bytes, sha256 ${imported?.sha256}`
  )
  process.exitCode = run.code ?? 1
} finally {
  await artifacts.stop()
  await sim.stop()
}
