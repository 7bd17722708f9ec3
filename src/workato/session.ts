/** What every step needs from the run besides its config: clients and the wait's timing. */
import { clockFromEnv, type Clock } from '../shared/wait.js'
import { WorkatoClient } from './client.js'
import type { Side } from './errors.js'
import type { Common, Endpoint } from './inputs.js'

export function clientFor(side: Side, endpoint: Endpoint): WorkatoClient {
  return new WorkatoClient(side, endpoint.baseUrl, endpoint.token)
}

export interface WaitOptions {
  maxIntervalMs: number
  timeoutMs: number
  clock: Clock
}

export function waitOptions(config: Common): WaitOptions {
  return {
    clock: clockFromEnv('WORKATO_PROMOTE'),
    maxIntervalMs: config.pollIntervalSeconds * 1000,
    timeoutMs: config.waitTimeoutSeconds * 1000
  }
}
