import * as core from '@actions/core'
import { endingOf, readInputs, untilCancelled } from '../shared/action.js'
import { keep } from '../shared/artifact.js'
import { tuning } from '../shared/http/json.js'
import { writeReport } from '../shared/report.js'
import { redact } from '../shared/secrets.js'
import { clockFromEnv } from '../shared/wait.js'
import { TorizonApi } from './api.js'
import { INPUTS, parseInputs, SECRET_INPUTS, type Config } from './inputs.js'
import { cancelledDuring, failureText } from './messages.js'
import { isSuccess, newRecord, outcomeOf, type RunRecord } from './record.js'
import { checkFile } from './steps/file.js'
import { publish } from './steps/publish.js'
import { rollOutToFleets } from './steps/rollout.js'
import { summaryMarkdown, verdictMarkdown, writeOutputs } from './summary.js'
import { Tokens } from './token.js'

/** Tests shorten timings with TORIZON_PUBLISH_* variables (CONTRIBUTING.md). */
const TUNING_PREFIX = 'TORIZON_PUBLISH'

/**
 * The mission: publish a file to Torizon Cloud under its name and version exactly once, however
 * often the job runs (the same bytes already there is success, other bytes are a failure), then
 * roll it out to the fleets given. Then report, whatever happened.
 */
export async function run(): Promise<void> {
  const config = readInputs({ inputs: INPUTS, secrets: SECRET_INPUTS }, parseInputs)
  if (!config) return
  const record = newRecord(config)
  try {
    await untilCancelled(publishAndRollOut(config, record))
    record.stage = 'done'
  } catch (error) {
    const ending = endingOf(error)
    if (ending.cancelled) {
      record.cancelled = ending.cancelled
      record.failures = [cancelledDuring(record, ending.cancelled)]
    } else record.failures.push(ending.message)
  }
  await report(record)
  // A cancelled run does not wait for requests still in flight.
  if (record.cancelled) process.exit(1)
}

async function publishAndRollOut(config: Config, record: RunRecord): Promise<void> {
  await checkFile(config, record)
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    record.artifact = await keep(config.packagePath, config.artifactName, config.retentionDays)
  }
  const clock = clockFromEnv(TUNING_PREFIX)
  const timing = tuning(TUNING_PREFIX)
  const api = new TorizonApi(config.apiUrl, new Tokens(config, timing, clock), timing, clock)
  await publish(api, config, record)
  await rollOutToFleets(api, config, record)
}

async function report(record: RunRecord): Promise<void> {
  if (!isSuccess(outcomeOf(record))) core.setFailed(redact(failureText(record)))
  await writeReport({
    outputs: () => writeOutputs(record),
    summary: () => summaryMarkdown(record),
    verdict: () => verdictMarkdown(record)
  })
}
