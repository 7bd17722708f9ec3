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
