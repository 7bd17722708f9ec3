/** The Torizon words of the report: outputs and the job summary. */
import * as path from 'node:path'
import { formatBytes } from '../shared/package-file.js'
import { artifactRow, capRows, collapsible, esc, runFacts, setOutputs } from '../shared/report.js'
import { oneLine, plural } from '../shared/text.js'
import { deviceName, type Reached } from './devices.js'
import { failureText } from './messages.js'
import { isSuccess, outcomeOf, type Outcome, type RunRecord } from './record.js'

export function writeOutputs(record: RunRecord): void {
  setOutputs({
    'package-id': record.package?.packageId,
    sha256: record.file?.sha256,
    size: record.file?.size,
    outcome: outcomeOf(record),
    'update-fleets': JSON.stringify(record.rolledOut ?? []),
    'devices-affected': record.reached?.counts.affected,
    'devices-already-assigned': record.reached && (record.reached.counts.alreadyAssigned ?? 0),
    'devices-not-affected': record.reached && JSON.stringify(notReachedOutput(record.reached))
  })
}

/** Devices the output lists at most: a job output is capped at 1 MB by GitHub. */
export const MAX_OUTPUT_DEVICES = 100

function notReachedOutput(
  reached: Reached
): Array<{ device: string; uuid: string; reasons: string[] }> {
  return reached.notAffected
    .slice(0, MAX_OUTPUT_DEVICES)
    .map(d => ({ device: deviceName(d), uuid: d.uuid, reasons: d.reasons }))
}

const HEADINGS: Record<Outcome, string> = {
  published: '✅ Torizon package published',
  'already-published': '✅ Torizon package already published: same name, version and bytes',
  failed: '❌ Torizon publish failed',
  cancelled: '🛑 Torizon publish cancelled'
}

/** The headline and the verdict: the summary when the whole one cannot be built. */
export function verdictMarkdown(record: RunRecord): string {
  const outcome = outcomeOf(record)
  const lines = [`## ${HEADINGS[outcome]}`, '']
  if (!isSuccess(outcome)) lines.push(`> **${esc(failureText(record))}**`, '')
  return lines.join('\n')
}

export function summaryMarkdown(record: RunRecord, env: NodeJS.ProcessEnv = process.env): string {
  const lines = [verdictMarkdown(record)]
  const facts = runFacts(env)
  if (facts) lines.push(facts, '')
  lines.push(...details(record), '')
  if (record.rolledOut) {
    lines.push(
      `### Rolled out to ${record.rolledOut.length} fleet${record.rolledOut.length === 1 ? '' : 's'}`,
      ''
    )
    lines.push(...record.rolledOut.map(id => `- \`${esc(id)}\``), '')
  }
  if (record.reached) lines.push(...devices(record.reached))
  return lines.join('\n')
}

/** Both lists of the roll-out's answer: the devices that took the update, and why others did not. */
function devices(reached: Reached): string[] {
  const { affected, notAffected } = reached.counts
  const assigned = reached.counts.alreadyAssigned ?? 0
  const lines = [
    `### Devices: ${affected} took the update, ${notAffected} did not` +
      (assigned > 0 ? `, ${assigned} already had it assigned` : ''),
    '',
    // Torizon keeps no record of which run assigned what: say what a re-run will do.
    '_A re-run assigns the package again: a device that already runs it takes no action, and a ' +
      'device with it still pending is counted as already assigned._',
    ''
  ]
  if (assigned > 0) {
    const rows = (reached.alreadyAssigned ?? []).map(
      d => `| ${esc(deviceName(d))} | \`${esc(d.uuid)}\` |`
    )
    lines.push(
      ...collapsible(`${plural(assigned, 'device')} already had it assigned, still pending`, [
        '| Device | UUID |',
        '|---|---|',
        ...capRows(rows, n => `| … | ${n} more |`)
      ])
    )
  }
  if (notAffected > 0) {
    const rows = reached.notAffected.map(
      d => `| ${esc(deviceName(d))} | ${d.reasons.map(esc).join('<br>')} |`
    )
    lines.push(
      ...collapsible(`${plural(notAffected, 'device')} did not take the update`, [
        '| Device | Why not |',
        '|---|---|',
        ...capRows(rows, n => `| … | ${n} more |`),
        ...(notAffected > reached.notAffected.length
          ? [`| … | ${notAffected - reached.notAffected.length} more not listed by this action |`]
          : [])
      ])
    )
  }
  if (affected > 0) {
    const rows = reached.affected.map(d => `| ${esc(deviceName(d))} | \`${esc(d.uuid)}\` |`)
    lines.push(
      ...collapsible(`${plural(affected, 'device')} took the update`, [
        '| Device | UUID |',
        '|---|---|',
        ...capRows(rows, n => `| … | ${n} more |`),
        ...(affected > reached.affected.length
          ? [`| … | ${affected - reached.affected.length} more not listed by this action |`]
          : [])
      ])
    )
  }
  return lines
}

function details(record: RunRecord): string[] {
  const { config, file, package: stored } = record
  const rows = [
    '| What | Value |',
    '|---|---|',
    `| Package | ${esc(config.name)}, version ${esc(config.version)} |`,
    `| Hardware IDs | ${config.hardwareIds.map(esc).join(', ')} |`,
    `| Target format | ${esc(config.targetFormat)} |`,
    `| Torizon Cloud | ${esc(config.apiUrl)} |`
  ]
  if (file) {
    rows.push(
      `| File | ${esc(path.basename(file.path))}, ${formatBytes(file.size)} (${file.size} bytes) |`
    )
    rows.push(`| sha256 | \`${file.sha256}\` |`)
  }
  if (stored) {
    const same =
      stored.sha256 === file?.sha256 ? 'the file, byte for byte' : 'DIFFERS from the file'
    rows.push(
      `| On Torizon Cloud | \`${esc(stored.packageId)}\`, sha256 \`${esc(oneLine(stored.sha256 ?? 'unknown', 80))}\` (${same}) |`
    )
  }
  if (record.compose) {
    const unpinned = record.compose.filter(i => !i.pinned).map(i => esc(i.image))
    rows.push(
      `| Images | ${record.compose.length - unpinned.length} of ${record.compose.length} pinned by digest` +
        `${unpinned.length > 0 ? `; not pinned: ${unpinned.slice(0, 20).join(', ')}` : ''} |`
    )
  }
  if (record.howKnown) rows.push(`| How it is known | ${esc(record.howKnown)} |`)
  if (record.artifact) rows.push(artifactRow(config.artifactName, record.artifact, true))
  if (config.fleetIds.length > 0 && !record.rolledOut) rows.push('| Roll-out | not done |')
  if (!isSuccess(outcomeOf(record))) rows.push(`| Stopped at | ${esc(record.stage)} |`)
  return rows
}
