/**
 * Modes import and plan with package-dir: the reviewed folder zipped deterministically (sorted
 * entries, fixed timestamps and attributes: the same tree always gives the same bytes), then read
 * back with the package reader like any other package.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as core from '@actions/core'
import { InputError } from '../../shared/errors.js'
import { formatBytes, hashFile, writeAtomically } from '../../shared/package-file.js'
import { writeDeterministicZip, type ZipInput } from '../../shared/zip-write.js'
import { plural } from '../../shared/text.js'
import type { ImportConfig, PackageDir, PlanConfig } from '../inputs.js'
import { RECIPE_BYTES } from '../inventory.js'
import { dirName, shown, type Tree } from '../package-tree.js'
import type { PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'
import { listAssets } from './package.js'

export async function zipTree(
  run: RunContext,
  config: (ImportConfig | PlanConfig) & { tree: PackageDir },
  tree: Tree
): Promise<PackageRecord> {
  const record = run.record
  record.stage = 'zip package-dir'
  const files = new Set(tree.files.map(f => f.name))
  // git keeps no empty folder: the index's folder entries bring back those the export had
  const folders = new Set([...tree.folders, ...(tree.index?.folders ?? [])])
  for (const folder of folders) {
    // the folder itself or any folder above it: a zip with both would be read either way
    const parts = folder.slice(0, -1).split('/')
    const asFile = parts.map((_, i) => parts.slice(0, i + 1).join('/')).find(p => files.has(p))
    if (asFile !== undefined) {
      throw new InputError(
        'package-dir',
        `holds ${shown(asFile)} as a file, where the release has a folder of that name`
      )
    }
  }
  const entries: ZipInput[] = [
    ...[...folders].map(name => ({ name })),
    ...tree.files.map(f => ({ name: f.name, file: f.abs }))
  ]
  const file = config.packagePath
  const limits = { maxEntryBytes: config.maxPackageBytes, maxZipBytes: config.maxPackageBytes }
  const facts = await writeAtomically(file, partial =>
    writeDeterministicZip(entries, partial, limits)
  )
  record.package = { path: file, ...facts }
  core.info(
    `Zipped package-dir (${plural(tree.files.length, 'file')}, ${plural(folders.size, 'folder')}): ${formatBytes(facts.size)}, ` +
      `sha256 ${facts.sha256}, at ${file}`
  )
  if (config.mode === 'import' && config.packageSha256 && facts.sha256 !== config.packageSha256) {
    throw new InputError(
      'package-sha256',
      `does not match the package zipped from package-dir: sha256 ${facts.sha256}, expected ` +
        `${config.packageSha256}. Nothing was imported.`
    )
  }
  const { edited, lineEndings } = await editedSinceUnpack(tree)
  record.tree = { dir: tree.dir, before: tree, edited }
  if (lineEndings.length > 0) {
    // git on a Windows runner checks text out with CRLF (core.autocrlf): the zip is then not the
    // reviewed bytes, though every JSON file still reads the same
    core.warning(
      `${plural(lineEndings.length, 'file')} of package-dir ${lineEndings.length === 1 ? 'differs' : 'differ'} from the release only in line ` +
        `endings (CRLF), as git's core.autocrlf leaves them on Windows: the zip is not the bytes that ` +
        `were reviewed. Add "${dirName(config.tree)}/** -text" to .gitattributes.`
    )
  }
  if (edited.length > 0) {
    core.info(
      `${edited.length} files of package-dir differ from the release its index records ` +
        `(edited in the repository): ${edited.slice(0, 10).join(', ')}`
    )
  }
  // read back with the package reader, as any other package is before it is sent
  record.package.inventory = await listAssets(file)
  return record.package
}

/**
 * Files added, changed or removed since the unpack that wrote the index (none without one), and
 * of those the ones that differ only by CRLF line endings.
 */
async function editedSinceUnpack(tree: Tree): Promise<{ edited: string[]; lineEndings: string[] }> {
  const index = tree.index
  if (!index) return { edited: [], lineEndings: [] }
  const recorded = new Map(index.assets.map(a => [a.path, a.sha256]))
  const edited: string[] = []
  const lineEndings: string[] = []
  for (const f of tree.files) {
    const was = recorded.get(f.name)
    recorded.delete(f.name)
    if (was !== undefined && was === (await hashFile(f.abs)).sha256) continue
    edited.push(f.name)
    if (was !== undefined && f.size <= RECIPE_BYTES) {
      const lf = (await fs.readFile(f.abs)).toString('latin1').replace(/\r\n/g, '\n')
      if (createHash('sha256').update(lf, 'latin1').digest('hex') === was) lineEndings.push(f.name)
    }
  }
  edited.push(...recorded.keys())
  return { edited: edited.sort(), lineEndings }
}
