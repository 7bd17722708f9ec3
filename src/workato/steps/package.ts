/** The package on disk: import mode's given zip, checked before anything is sent; its contents. */
import { promises as fs } from 'node:fs'
import * as core from '@actions/core'
import { InputError } from '../../shared/errors.js'
import { formatBytes, hashFile } from '../../shared/package-file.js'
import { zipProblem } from '../../shared/zip.js'
import type { ImportConfig } from '../inputs.js'
import { countByType, inventory, type Asset } from '../inventory.js'
import type { PackageRecord, RunRecord } from '../record.js'

export async function checkGivenPackage(
  config: ImportConfig,
  record: RunRecord
): Promise<PackageRecord> {
  record.stage = 'check package'
  const file = config.packagePath
  const stat = await fs.stat(file).catch(() => undefined)
  if (!stat?.isFile()) throw new InputError('package-path', `names no file: ${file}`)
  if (stat.size > config.maxPackageBytes) {
    throw new InputError(
      'package-path',
      `is ${formatBytes(stat.size)}, over max-package-mb (${formatBytes(config.maxPackageBytes)}); nothing was imported`
    )
  }
  const problem = await zipProblem(file)
  if (problem) throw new InputError('package-path', `is not a valid zip: ${problem}`)
  const facts = await hashFile(file)
  record.package = { path: file, ...facts }
  if (config.packageSha256 && facts.sha256 !== config.packageSha256) {
    throw new InputError(
      'package-sha256',
      `does not match the package: ${file} has sha256 ${facts.sha256}, expected ${config.packageSha256}. Nothing was imported.`
    )
  }
  core.info(`Package ${file}: ${formatBytes(facts.size)}, sha256 ${facts.sha256}`)
  record.package.inventory = await listAssets(file)
  return record.package
}

/** What the package holds, read from its directory without extracting it. */
export async function listAssets(file: string): Promise<Asset[]> {
  const assets = await inventory(file)
  const counts = countByType(assets).map(([type, n]) => `${n} ${type}`)
  core.info(`Contents: ${counts.join(', ') || 'no assets'}`)
  return assets
}
