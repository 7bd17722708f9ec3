/** What any action reports with: outputs, the job summary, and text made safe for both. */
import * as core from '@actions/core'
import type { Kept } from './artifact.js'
import { redact } from './secrets.js'

/** Sets every output that has a value; secrets removed, whatever the value came from. */
export function setOutputs(values: Record<string, string | number | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) core.setOutput(name, redact(String(value)))
  }
}

export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown, true).write()
}

/** `rows` under a table header, in a collapsed block when there are more than `shown`. */
export function collapsible(summary: string, rows: string[], shown = 10): string[] {
  if (rows.length <= shown) return [...rows, '']
  return [`<details><summary>${summary}</summary>`, '', ...rows, '', '</details>', '']
}

/**
 * Escapes text from outside (a server, inputs) for a Markdown table cell: no HTML, no layout, no
 * links. GFM turns bare URLs, www. names and e-mail addresses into links: anyone who can name an
 * asset at the source could put a phishing link into the release record, so those are broken up
 * with backslash escapes (they still read the same), and invisible format characters (U+202E and
 * the like) are dropped.
 */
export function esc(text: string): string {
  // secrets out first: escaping turns them into strings no mask matches
  return redact(text)
    .replace(/\p{Cf}/gu, '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .replace(/([a-z][a-z0-9+.-]*):/gi, '$1\\:')
    .replace(/@/g, '\\@')
    .replace(/\b(www)\./gi, '$1\\.')
}

/** The summary table's row for the workflow artifact: its name and id, or why it was not kept. */
export function artifactRow(name: string, kept: Kept): string {
  if (!kept.kept) return `| Artifact | not kept: ${esc(kept.reason)} |`
  // the artifact's own upload digest: of the zip the artifact service stores around the file
  const digest = kept.digest ? `, upload sha256 \`${kept.digest}\`` : ''
  return `| Artifact | ${esc(name)} (id \`${kept.id}\`${digest}) |`
}
