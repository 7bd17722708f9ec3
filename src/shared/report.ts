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

/**
 * GitHub drops a step summary over 1 MiB whole, and with it the release record: the summary is
 * kept under this, with room for the runner's own bytes.
 */
export const SUMMARY_MAX_BYTES = 1_000_000
/**
 * GitHub shows 10 error (and 10 warning) annotations per step and drops the rest silently: one
 * of them is the verdict's, so a step spends at most this many on anything else.
 */
export const ANNOTATIONS_PER_STEP = 9

/** Rows a table shows before "and N more": a release record, not a full listing (the outputs are). */
export const MAX_TABLE_ROWS = 500

/**
 * The end of every run, whatever happened: the outputs first (a script reading `outcome` gets it
 * whatever the summary does), then the summary. An output file that cannot be written fails the
 * step, but only once the summary is written.
 */
export async function writeReport(report: {
  outputs: () => void
  summary: () => string
  verdict: () => string
}): Promise<void> {
  let outputsFailed: Error | undefined
  try {
    report.outputs()
  } catch (error) {
    outputsFailed = error instanceof Error ? error : new Error(String(error))
  }
  await writeSummary(report.summary, report.verdict).catch(error =>
    core.warning(`Could not write the job summary: ${redact(String(error))}`)
  )
  if (outputsFailed) throw outputsFailed
}

/**
 * Builds and writes the job summary. Built here, inside the guard, so that no bug in it (server
 * data it did not expect) can take the verdict or the outputs with it: a summary that cannot be
 * built is replaced by `fallback`, the headline and verdict alone.
 */
export async function writeSummary(build: () => string, fallback: () => string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  let markdown: string
  try {
    markdown = build()
  } catch (error) {
    core.warning(
      `Could not build the whole job summary (${redact(String(error)).slice(0, 200)}); ` +
        'it holds the verdict only. This is a bug of the action: please report it.'
    )
    markdown = fallback()
  }
  await core.summary.addRaw(fitSummary(markdown), true).write()
}

/**
 * `markdown` cut at a line to stay under `max` bytes, with a note saying so. The sections most
 * worth keeping come first; this is the last bound, after each table's own.
 */
export function fitSummary(markdown: string, max = SUMMARY_MAX_BYTES): string {
  if (Buffer.byteLength(markdown) <= max) return markdown
  const note =
    "\n\n_The rest of this summary was cut to stay under GitHub's 1 MiB limit; the full lists are in the step's outputs._\n"
  const room = max - Buffer.byteLength(note) - 64
  // the first `room` bytes, at a whole character, then back to the last whole line
  let kept = Buffer.from(markdown)
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
  kept = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')))
  const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length
  return kept + note + '\n</details>\n'.repeat(Math.max(0, open))
}

/** At most `max` of `rows`, and a last row saying how many more there are, and where. */
export function capRows(
  rows: string[],
  more: (n: number) => string,
  max = MAX_TABLE_ROWS
): string[] {
  return rows.length <= max ? rows : [...rows.slice(0, max), more(rows.length - max)]
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
export function artifactRow(name: string, kept: Kept, withDigest = false): string {
  if (!kept.kept) return `| Artifact | not kept: ${esc(kept.reason)} |`
  // the artifact's own upload digest: of the zip the artifact service stores around the file
  const digest = withDigest && kept.digest ? `, upload sha256 \`${kept.digest}\`` : ''
  return `| Artifact | ${esc(name)} (id \`${kept.id}\`${digest}) |`
}

/**
 * A Markdown link, only to an http(s) URL without spaces or parentheses (which would end it
 * early); anything else is the text alone. `text` must already be escaped.
 */
export function link(text: string, url: string): string {
  return /^https?:\/\/[^\s()<>]+$/.test(url) ? `[${text}](${url})` : text
}

/**
 * The run this report belongs to, from the runner's variables: the ref (a tag, for a release),
 * the commit (linked), who started it, and the attempt (a re-run is attempt 2 or more).
 */
export function runFacts(env: NodeJS.ProcessEnv = process.env): string {
  const facts: string[] = []
  if (env.GITHUB_REF_NAME) facts.push(`**Ref** \`${esc(env.GITHUB_REF_NAME)}\``)
  const sha = env.GITHUB_SHA ?? ''
  if (/^[0-9a-f]{40}$/.test(sha)) {
    const repo = env.GITHUB_REPOSITORY ?? ''
    const server = env.GITHUB_SERVER_URL || 'https://github.com'
    const url = /^[\w.-]+\/[\w.-]+$/.test(repo) ? `${server}/${repo}/commit/${sha}` : ''
    facts.push(`commit ${link(`\`${sha.slice(0, 7)}\``, url)}`)
  }
  if (env.GITHUB_ACTOR) facts.push(`by ${esc(env.GITHUB_ACTOR)}`)
  if (env.GITHUB_RUN_ATTEMPT) facts.push(`attempt ${esc(env.GITHUB_RUN_ATTEMPT)}`)
  return facts.join(' · ')
}
