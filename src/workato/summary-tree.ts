/** The job summary's parts for a package kept in the repository: package-dir, changes, drift. */
import { esc } from '../shared/report.js'
import { plural } from '../shared/text.js'
import { dirName } from './package-tree.js'
import type { DriftItem, RunRecord } from './record.js'

const DRIFT_ROWS = 100

/** Drift comes first: it is what an import would lose without anyone having reviewed it. */
export function driftMarkdown(record: RunRecord): string[] {
  const drift = record.drift
  if (!drift || drift.length === 0) return []
  const kind = (d: DriftItem) =>
    d.kind === 'only-in-target'
      ? 'only in the target'
      : 'changed in the target since the release package-dir held before'
  const rows = drift
    .slice(0, DRIFT_ROWS)
    .map(d => `| ${esc(d.name)} | \`${esc(d.path)}\` | ${kind(d)} |`)
  const more =
    drift.length > DRIFT_ROWS
      ? [`| … and ${drift.length - DRIFT_ROWS} more (all in the \`drift\` output) | | |`]
      : []
  return [
    `### ⚠️ Drift: the target holds ${plural(drift.length, 'asset')} package-dir does not`,
    '',
    'An import overwrites what was changed in the target; the changes below say how each differs.',
    '',
    '| Asset | Path | Drift |',
    '|---|---|---|',
    ...rows,
    ...more,
    ''
  ]
}

/** The change, as renderChanges wrote it (already escaped and bounded), under its own heading. */
export function changesMarkdown(record: RunRecord): string[] {
  if (!record.changes) return []
  return [record.changes.markdown, '']
}

/** package-dir's row of the details table. */
export function treeRows(record: RunRecord): string[] {
  const tree = record.tree
  if (!tree) return []
  const config = record.config
  // as the workflow wrote it, not the runner's own path
  const dir = `\`${esc('tree' in config && config.tree ? dirName(config.tree) : tree.dir)}\``
  const unpacked = tree.unpacked
  if (unpacked) {
    return [
      `| Package dir | ${dir}: ${plural(unpacked.written.length, 'file')} written, ${unpacked.removed.length} removed, ` +
        `${unpacked.unchanged} unchanged |`
    ]
  }
  const rows = [
    `| Package dir | ${dir}, zipped deterministically (the same files always give the same sha256: \`${record.package?.sha256 ?? '?'}\`) |`
  ]
  if (tree.edited && tree.edited.length > 0) {
    const shown = tree.edited.slice(0, 10).map(f => `\`${esc(f)}\``)
    const more = tree.edited.length > 10 ? `, and ${tree.edited.length - 10} more` : ''
    rows.push(
      `| Edited since unpacked | ${plural(tree.edited.length, 'file')} differ from the release the index records: ${shown.join(', ')}${more} |`
    )
  }
  return rows
}

/** The headline's warning about drift that did not stop the run (drift: warn). */
export function driftWarning(record: RunRecord): string | undefined {
  const drift = record.drift
  if (!drift || drift.length === 0) return undefined
  const names = drift.slice(0, 5).map(d => d.name)
  const more = drift.length > 5 ? ` and ${drift.length - 5} more` : ''
  return (
    `The target holds ${plural(drift.length, 'asset')} package-dir does not (drift): ${names.join(', ')}${more}; ` +
    'an import overwrites them.'
  )
}
