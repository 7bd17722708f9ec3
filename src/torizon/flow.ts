/** The steps of a publish, in order: the one place that says what the action does. */
import { keep } from '../shared/artifact.js'
import { tuning } from '../shared/http/json.js'
import { clockFromEnv } from '../shared/wait.js'
import { TorizonApi } from './api.js'
import type { Config } from './inputs.js'
import type { RunRecord } from './record.js'
import { checkCompose } from './steps/compose.js'
import { checkFile } from './steps/file.js'
import { publish } from './steps/publish.js'
import { rollOutToFleets } from './steps/rollout.js'
import { Tokens } from './token.js'

/** Tests shorten timings with TORIZON_PUBLISH_* variables (CONTRIBUTING.md). */
const TUNING_PREFIX = 'TORIZON_PUBLISH'

export async function publishAndRollOut(config: Config, record: RunRecord): Promise<void> {
  await checkFile(config, record)
  await checkCompose(config, record)
  if (config.uploadArtifact) {
    record.stage = 'keep as artifact'
    record.artifact = await keep(
      config.packagePath,
      config.artifactName,
      config.retentionDays,
      'Nothing was sent to Torizon Cloud.'
    )
  }
  const clock = clockFromEnv(TUNING_PREFIX)
  const timing = tuning(TUNING_PREFIX)
  const api = new TorizonApi(config.apiUrl, new Tokens(config, timing, clock), timing, clock)
  await publish(api, config, record)
  await rollOutToFleets(api, config, record)
  record.stage = 'done'
}
