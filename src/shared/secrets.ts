import * as core from '@actions/core'

/**
 * The runner masks exact strings only: a secret cut in half, URL-encoded, JSON-escaped or
 * Markdown-escaped gets through its mask. So every form a secret can take is registered here,
 * and `redact` removes them from any outside text before it is cut, escaped or printed.
 */
const forms = new Set<string>()

export function registerSecret(value: string): void {
  const trimmed = value.trim()
  if (!trimmed) return
  const json = JSON.stringify(trimmed).slice(1, -1)
  for (const form of [trimmed, encodeURIComponent(trimmed), json, json.replace(/\//g, '\\/')]) {
    if (forms.has(form)) continue
    forms.add(form)
    core.setSecret(form)
  }
}

/** `text` with every registered secret, in every form, replaced by ***. */
export function redact(text: string): string {
  let out = text
  // longest first, so a secret that contains another is removed whole
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(form)) out = out.split(form).join('***')
  }
  return out
}
