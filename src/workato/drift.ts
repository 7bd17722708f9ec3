/**
 * Drift: what the target folder holds that the reviewed tree (package-dir) does not. An import
 * would overwrite a hot-fix made in the target's UI without anyone having reviewed its loss.
 *
 * Two sides alone cannot tell a hot-fix from the release's own change, so the index's record of
 * the release package-dir held before this one (what the target should hold until this release
 * is imported) is the third: a target asset that differs from that release, and from this one,
 * was changed in the target. Without that record (a first unpack), only assets the target holds
 * and the tree does not are drift.
 */
import * as path from 'node:path'
import { semanticDigest } from './changes.js'
import type { PackageIndex } from './package-tree.js'
import type { DriftItem } from './record.js'

export function findDrift(
  target: Map<string, Buffer>,
  tree: Map<string, Buffer>,
  previous: PackageIndex['previous']
): DriftItem[] {
  const drift: DriftItem[] = []
  for (const [file, content] of target) {
    const now = semanticDigest(file, content)
    const reviewed = tree.get(file)
    const before = previous?.digests[file]
    let kind: DriftItem['kind'] | undefined
    if (reviewed === undefined) {
      if (before === undefined) kind = 'only-in-target'
      else if (before !== now) kind = 'changed-in-target'
    } else if (previous && now !== semanticDigest(file, reviewed) && before !== now) {
      kind = 'changed-in-target'
    }
    if (kind) drift.push({ path: file, name: nameOf(file, content), kind })
  }
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/** A recipe's name from its JSON, else the file's: for the summary (escaped there). */
function nameOf(file: string, content: Buffer): string {
  if (file.endsWith('.recipe.json') && content.length < 8 * 1024 * 1024) {
    try {
      const name = (JSON.parse(content.toString('utf8')) as { name?: unknown }).name
      if (typeof name === 'string' && name) return name.slice(0, 200)
    } catch {
      // not JSON: named by its file
    }
  }
  return path.posix.basename(file).replace(/(\.[a-z_]+)?\.(json|rb|png)$/, '')
}
