/** The file to publish: there, a file, not empty; its size and sha256, streamed. */
import { promises as fs } from 'node:fs'
import * as core from '@actions/core'
import { InputError } from '../../shared/errors.js'
import { formatBytes, hashFile } from '../../shared/package-file.js'
import type { Config } from '../inputs.js'
import type { RunRecord } from '../record.js'

export async function checkFile(config: Config, record: RunRecord): Promise<void> {
  record.stage = 'package file'
  const file = config.packagePath
  const stat = await fs.stat(file).catch(() => undefined)
  if (!stat) throw new InputError('package-path', `names no file: ${file}. Nothing was published.`)
  if (!stat.isFile()) {
    throw new InputError('package-path', `is not a regular file: ${file}. Nothing was published.`)
  }
  // An empty package is a build that went wrong, never something to roll out to devices.
  if (stat.size === 0)
    throw new InputError('package-path', `is empty: ${file}. Nothing was published.`)
  const facts = await hashFile(file)
  record.file = { path: file, ...facts }
  core.info(`Package file ${file}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}`)
}
