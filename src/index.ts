import * as core from '@actions/core'
import { run } from './main.js'
import { identifyAs } from './shared/http/request.js'

// run() reports every failure it knows; this catches the ones it does not (a bug, or a runner
// file that cannot be written), still as one error line, with the stack only in debug.
identifyAs('workato-promote')
await run().catch((error: unknown) => {
  core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
  core.debug(error instanceof Error ? String(error.stack) : '')
})
