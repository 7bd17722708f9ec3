/**
 * A package kept in the repository: its files, as Workato exported them, in a folder of the
 * workspace (package-dir), and one index file beside them. What may be in such a folder, how it
 * is listed without following a link, and the index's format.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../shared/errors.js'
import { leavesBase } from '../shared/inputs.js'
import { LIMITS } from '../shared/zip.js'
import { oneLine } from '../shared/text.js'

/** The index the action writes beside the package's files; never part of the package. */
export const INDEX_FILE = '.workato-package.json'
export const INDEX_FORMAT = 1
/** An index larger than this is not one the action wrote. */
const INDEX_BYTES = 16 * 1024 * 1024
/** Deeper than any Workato folder tree: a deeper one is refused, not walked. */
const MAX_DEPTH = 32

/**
 * What a Workato export holds: JSON files named by asset type, and a custom connector's `.rb`
 * source and `.png` logo. Anything else in package-dir (a README, a .gitkeep, .git itself) would
 * be zipped into the import, or removed by an unpack: refused instead, by name.
 */
export function isPackageFile(name: string): boolean {
  return /\.(json|rb|png)$/.test(name) && !name.startsWith('.')
}

export interface TreeFile {
  /** '/'-separated, relative to package-dir: the entry name in the zip. */
  name: string
  abs: string
  size: number
}

export interface Tree {
  dir: string
  /** The folder is not there yet (mode unpack makes it). */
  absent: boolean
  files: TreeFile[]
  /** Every folder below package-dir, as a zip names them ("API/"). */
  folders: string[]
  /** The index, when package-dir holds one the action can read. */
  index?: PackageIndex
}

export interface IndexedAsset {
  path: string
  type: string
  name: string
  /** sha256 of the file's bytes as exported. */
  sha256: string
  /** The comparison's digest (changes.ts semanticDigest): what drift is measured against. */
  digest: string
}

export interface PackageIndex {
  format: number
  package: { sha256: string; size: number; exported: string; workspace?: string }
  /** The export's explicit folder entries: git keeps no empty folder, the index does. */
  folders: string[]
  assets: IndexedAsset[]
  /**
   * The release package-dir held before this one (its digests): what the target should hold
   * until this release is imported. A target asset that differs from both is drift.
   */
  previous?: { sha256: string; digests: Record<string, string> }
}

/**
 * Lists package-dir without following any link: every file a package file, every entry a file
 * or a folder, the folder itself inside the workspace with links resolved. `forUnpack`: the
 * folder may be absent or empty (it is about to be written). Each problem is an input error
 * naming the path, found before any request.
 */
export async function readTree(
  dir: string,
  workspace: string,
  forUnpack: boolean,
  maxBytes: number
): Promise<Tree> {
  const fail = (problem: string): never => {
    throw new InputError('package-dir', problem)
  }
  await confined(dir, workspace, fail)
  const stat = await fs.lstat(dir).catch(() => undefined)
  if (!stat) {
    if (forUnpack) return { dir, absent: true, files: [], folders: [] }
    return fail(`names no folder: ${shown(dir)} (unpack a release into it first, with mode unpack)`)
  }
  if (stat.isSymbolicLink()) return fail(`is a link (${shown(dir)}); give the folder itself`)
  if (!stat.isDirectory()) return fail(`is not a folder: ${shown(dir)} is a file`)
  const tree: Tree = { dir, absent: false, files: [], folders: [] }
  let bytes = 0
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) fail(`is more than ${MAX_DEPTH} folders deep at ${shown(rel)}`)
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true })
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const name = rel ? `${rel}/${entry.name}` : entry.name
      const abs = path.join(dir, name)
      if (entry.name.includes('\\')) fail(`holds ${shown(name)}: a backslash in a name`)
      if (entry.isSymbolicLink())
        fail(`holds a link, ${shown(name)}: a package holds files only, never links`)
      if (entry.isDirectory()) {
        tree.folders.push(`${name}/`)
        await walk(name, depth + 1)
        continue
      }
      if (!entry.isFile()) fail(`holds ${shown(name)}, which is not a file or a folder`)
      if (name === INDEX_FILE) continue
      if (!isPackageFile(entry.name)) {
        fail(
          `holds ${shown(name)}, which is not a package file (a package holds *.json files, and ` +
            '.rb / .png beside a custom connector); keep other files outside package-dir'
        )
      }
      const { size } = await fs.lstat(abs)
      bytes += size
      if (bytes > maxBytes) fail(`holds more than max-package-mb (${maxBytes} bytes) of files`)
      tree.files.push({ name, abs, size })
      if (tree.files.length + tree.folders.length > LIMITS.entries) {
        fail(`holds more than ${LIMITS.entries} files and folders`)
      }
    }
  }
  await walk('', 0)
  if (!forUnpack && tree.files.length === 0) {
    fail(
      `holds no package file: ${shown(dir)} is empty (unpack a release into it with mode unpack)`
    )
  }
  tree.index = await readIndex(path.join(dir, INDEX_FILE), fail)
  return tree
}

/** The folder (or, when absent, its nearest existing parent) resolves inside the workspace. */
async function confined(dir: string, workspace: string, fail: (p: string) => never): Promise<void> {
  const root = await fs.realpath(workspace).catch(() => path.resolve(workspace))
  let existing = dir
  while (!(await fs.lstat(existing).catch(() => undefined))) {
    const parent = path.dirname(existing)
    if (parent === existing) break
    existing = parent
  }
  const real = await fs.realpath(existing).catch(() => existing)
  const relative = path.relative(root, real)
  if (leavesBase(relative)) {
    fail(`resolves outside the workspace (${shown(dir)} leads to ${shown(real)}, through a link)`)
  }
  if (relative === '' && existing === dir) fail('is the workspace itself: give a folder below it')
}

async function readIndex(
  file: string,
  fail: (p: string) => never
): Promise<PackageIndex | undefined> {
  const stat = await fs.lstat(file).catch(() => undefined)
  if (!stat) return undefined
  if (!stat.isFile() || stat.size > INDEX_BYTES)
    fail(`holds an ${INDEX_FILE} that is not its index`)
  let parsed: unknown
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch {
    return fail(`holds an ${INDEX_FILE} that is not JSON: unpack the release again`)
  }
  const index = checkIndex(parsed)
  if (!index) fail(`holds an ${INDEX_FILE} this action did not write (or a newer format)`)
  return index
}

const isString = (v: unknown): v is string => typeof v === 'string'
const HEX64 = /^[0-9a-f]{64}$/

/** The index's shape, checked: its paths go into a zip, its names into the summary. */
export function checkIndex(value: unknown): PackageIndex | undefined {
  if (!value || typeof value !== 'object') return undefined
  const v = value as Partial<PackageIndex>
  if (v.format !== INDEX_FORMAT || !v.package || !Array.isArray(v.folders)) return undefined
  if (!Array.isArray(v.assets)) return undefined
  const p = v.package
  if (!isString(p.sha256) || !HEX64.test(p.sha256) || typeof p.size !== 'number') return undefined
  if (!v.folders.every(f => isString(f) && safeEntryName(f) && f.endsWith('/'))) return undefined
  const assetsOk = v.assets.every(
    a =>
      a &&
      isString(a.path) &&
      safeEntryName(a.path) &&
      isString(a.type) &&
      isString(a.name) &&
      isString(a.sha256) &&
      HEX64.test(a.sha256) &&
      isString(a.digest) &&
      HEX64.test(a.digest)
  )
  if (!assetsOk) return undefined
  const prev = v.previous
  if (prev !== undefined) {
    if (!prev || !isString(prev.sha256) || typeof prev.digests !== 'object' || !prev.digests)
      return undefined
    const digests = Object.entries(prev.digests)
    if (!digests.every(([k, d]) => safeEntryName(k) && isString(d) && HEX64.test(d)))
      return undefined
  }
  return v as PackageIndex
}

/**
 * A name that stays inside the folder it is written to: relative, no '.', '..' or empty part,
 * no backslash, NUL or control character, and no part that is the index.
 */
export function safeEntryName(name: string): boolean {
  const parts = name.replace(/\/$/, '').split('/')
  return (
    name.length > 0 &&
    name.length <= 1024 &&
    !/[\\\0\p{Cc}]/u.test(name) &&
    parts.every(part => part !== '' && part !== '.' && part !== '..') &&
    !(parts.length === 1 && parts[0] === INDEX_FILE)
  )
}

/** package-dir as the workflow wrote it: relative to the workspace, '/'-separated. */
export function dirName(tree: { packageDir: string; workspace: string }): string {
  return path.relative(tree.workspace, tree.packageDir).split(path.sep).join('/')
}

export function shown(value: string): string {
  return JSON.stringify(oneLine(value, 120))
}
