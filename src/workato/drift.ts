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
import type { PackageIndex } from './package-tree.js'
import type { DriftItem } from './record.js'

/**
 * `target` and `tree`: each side's comparison digests (changes.ts semanticDigest) by path, as the
 * plan computed them; `nameOf` names an asset of the target (its inventory).
 */
export function findDrift(
  target: Map<string, string>,
  tree: Map<string, string>,
  previous: PackageIndex['previous'],
  nameOf: (path: string) => string
): DriftItem[] {
  const drift: DriftItem[] = []
  for (const [file, now] of target) {
    const reviewed = tree.get(file)
    const before = previous?.digests[file]
    let kind: DriftItem['kind'] | undefined
    if (reviewed === undefined) {
      if (before === undefined) kind = 'only-in-target'
      else if (before !== now) kind = 'changed-in-target'
    } else if (previous && now !== reviewed && before !== now) {
      kind = 'changed-in-target'
    }
    if (kind) drift.push({ path: file, name: nameOf(file), kind })
  }
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
