/**
 * Mode unpack: the exported package's files written into package-dir byte for byte, replacing
 * what the folder held, with an index beside them. Nothing outside package-dir is touched: each
 * name is checked before anything is written, every folder on the way is checked not to be a
 * link, and every file is opened without following one.
 */
import { constants, promises as fs } from 'node:fs'
import type * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { pipeEntry, readEntries, type Entry } from '../../shared/zip.js'
import { comparePackages, renderChanges, semanticDigest } from '../changes.js'
import type { UnpackConfig } from '../inputs.js'
import { assetType, beforeImport } from '../inventory.js'
import { treeContents, zipContents } from '../package-contents.js'
import {
  INDEX_FILE,
  INDEX_FORMAT,
  dirName,
  isPackageFile,
  safeEntryName,
  shown,
  type PackageIndex,
  type Tree
} from '../package-tree.js'
import type { PackageRecord } from '../record.js'
import type { RunContext } from '../run-context.js'

export async function unpack(
  run: RunContext,
  config: UnpackConfig,
  pkg: PackageRecord,
  before: Tree
): Promise<void> {
  const record = run.record
  record.stage = 'unpack'
  const dir = config.tree.packageDir
  const entries = await beforeImport(releaseEntries(pkg.path))
  const files = entries.filter(e => !e.path.endsWith('/'))
  const folders = entries.filter(e => e.path.endsWith('/')).map(e => e.path)

  const { contents: released, sha256: releasedSha } = await zipContents(pkg.path)
  const held = await treeContents(before.files)
  const changes = comparePackages(held.contents, released)
  record.changes = {
    against: `what ${dirName(config.tree)} held`,
    markdown: renderChanges(changes, { title: `Changes to ${dirName(config.tree)}` }),
    counts: changes.counts
  }
  const gone = before.files.filter(f => !released.has(f.name)).map(f => f.name)
  // written: new files, and files whose bytes differ from what package-dir holds
  const written = files
    .map(e => e.path)
    .filter(n => held.sha256.get(n) !== releasedSha.get(n))
    .sort(byName)
  // looked up once per entry: a package of 10,000 files must not be 10,000² comparisons
  const toWrite = new Set(written)
  const sameFolders =
    JSON.stringify([...new Set(before.folders)].sort()) ===
    JSON.stringify([...new Set([...folders, ...parentsOf(files.map(f => f.path))])].sort())
  record.tree = {
    dir,
    before,
    unpacked: { written, removed: gone, unchanged: files.length - written.length }
  }
  if (written.length === 0 && gone.length === 0 && sameFolders && before.index) {
    // an identical release exported again differs only in its zip's timestamps: an untouched
    // folder keeps a scheduled workflow from opening a pull request that changes nothing
    core.info(`${dirName(config.tree)} already holds every file of this release: nothing written`)
    return
  }

  for (const name of gone) await removeFile(dir, name)
  await removeEmptyFolders(
    dir,
    before.folders,
    new Set([...folders, ...parentsOf(files.map(f => f.path))])
  )
  for (const folder of folders) await makeFolders(dir, folder.slice(0, -1))
  const handle = await fs.open(pkg.path, 'r')
  try {
    for (const entry of files) {
      if (!toWrite.has(entry.path)) continue
      await makeFolders(dir, path.posix.dirname(entry.path))
      await writeEntry(handle, entry, path.join(dir, ...entry.path.split('/')))
    }
  } finally {
    await handle.close()
  }
  const names = new Map((pkg.inventory ?? []).map(a => [a.path, a.name]))
  const index: PackageIndex = {
    format: INDEX_FORMAT,
    package: {
      sha256: pkg.sha256,
      size: pkg.size,
      exported: exportedFrom(config),
      ...(record.preflight?.source?.workspace
        ? { workspace: record.preflight.source.workspace }
        : {})
    },
    folders: [...folders].sort(),
    assets: [...released.keys()].sort().map(name => ({
      path: name,
      type: assetType(name),
      name: names.get(name) ?? path.posix.basename(name),
      sha256: releasedSha.get(name) ?? '',
      digest: semanticDigest(name, released.get(name) ?? Buffer.alloc(0))
    })),
    ...(before.files.length > 0
      ? {
          previous: {
            sha256: before.index?.package.sha256 ?? '',
            digests: Object.fromEntries(
              [...held.contents].map(([name, content]) => [name, semanticDigest(name, content)])
            )
          }
        }
      : {})
  }
  await writeIndex(dir, index)
  core.info(
    `Unpacked into ${dirName(config.tree)}: ${written.length} written, ${gone.length} removed, ` +
      `${files.length - written.length} unchanged; index ${INDEX_FILE}`
  )
}

/**
 * The zip's entries, each a name that stays in package-dir and a package file; no two that one
 * file system would take for the same (Windows and macOS runners ignore case), and no file where
 * another entry needs a folder.
 */
async function releaseEntries(file: string): Promise<Entry[]> {
  const handle = await fs.open(file, 'r')
  try {
    const entries = await readEntries(handle)
    const refuse = (problem: string): never => {
      throw new ActionError(
        `The package cannot be unpacked into package-dir: ${problem}. Nothing was written.`
      )
    }
    const names = new Map<string, string>()
    const fileNames = new Set(entries.filter(e => !e.path.endsWith('/')).map(e => e.path))
    for (const entry of entries) {
      const name = entry.path
      if (!safeEntryName(name)) refuse(`it has an entry named ${shown(name)}`)
      if (!name.endsWith('/') && !isPackageFile(path.posix.basename(name))) {
        refuse(`it has ${shown(name)}, which is not a file type this action keeps`)
      }
      const folded = name.replace(/\/$/, '').toLowerCase()
      const other = names.get(folded)
      if (other !== undefined) refuse(`${shown(other)} and ${shown(name)} differ only in case`)
      names.set(folded, name)
      for (const parent of parentsOf([name])) {
        if (fileNames.has(parent.slice(0, -1)))
          refuse(`${shown(parent.slice(0, -1))} is a file, and ${shown(name)} is inside it`)
      }
    }
    return entries
  } finally {
    await handle.close()
  }
}

/** Every folder above each name, as a zip names folders ("a/", "a/b/"). */
function parentsOf(names: string[]): string[] {
  const parents = new Set<string>()
  for (const name of names) {
    const parts = name.replace(/\/$/, '').split('/')
    for (let i = 1; i < parts.length; i++) parents.add(`${parts.slice(0, i).join('/')}/`)
  }
  return [...parents]
}

/** The folders to `rel`, made one by one; each one there already must be a folder, not a link. */
async function makeFolders(dir: string, rel: string): Promise<void> {
  if (rel === '.' || rel === '') {
    await fs.mkdir(dir, { recursive: true })
    return
  }
  await fs.mkdir(dir, { recursive: true })
  let at = dir
  for (const part of rel.split('/')) {
    at = path.join(at, part)
    const stat = await fs.lstat(at).catch(() => undefined)
    if (!stat) await fs.mkdir(at)
    else if (stat.isSymbolicLink() || !stat.isDirectory()) {
      throw new ActionError(
        `package-dir changed while the release was unpacked: ${shown(path.relative(dir, at))} is no longer a folder. ` +
          'Run again on a clean checkout.'
      )
    }
  }
}

async function writeEntry(handle: fsp.FileHandle, entry: Entry, to: string): Promise<void> {
  // O_NOFOLLOW: a link put in the file's place is refused, never written through
  const out = await fs.open(
    to,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o644
  )
  try {
    await pipeEntry(handle, entry, async chunk => {
      await out.write(chunk)
    })
  } finally {
    await out.close()
  }
}

async function removeFile(dir: string, name: string): Promise<void> {
  const at = path.join(dir, ...name.split('/'))
  const stat = await fs.lstat(at).catch(() => undefined)
  // listed as a file before any request: anything else now was put there since, and is left
  if (stat?.isFile()) await fs.unlink(at)
}

/** Folders the release no longer has, deepest first, once the files in them are gone. */
async function removeEmptyFolders(dir: string, had: string[], keep: Set<string>): Promise<void> {
  const drop = had.filter(f => !keep.has(f)).sort((a, b) => b.length - a.length)
  for (const folder of drop) {
    await fs.rmdir(path.join(dir, ...folder.slice(0, -1).split('/'))).catch(() => undefined)
  }
}

async function writeIndex(dir: string, index: PackageIndex): Promise<void> {
  const to = path.join(dir, INDEX_FILE)
  const partial = `${to}.partial`
  await fs.rm(partial, { force: true })
  const out = await fs.open(
    partial,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644
  )
  try {
    await out.write(`${JSON.stringify(index, null, 2)}\n`)
  } finally {
    await out.close()
  }
  await fs.rename(partial, to)
}

function exportedFrom(config: UnpackConfig): string {
  const from = config.exportFrom
  return 'manifestId' in from ? `manifest ${from.manifestId}` : `folder ${from.folderId}`
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
