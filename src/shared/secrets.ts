import * as core from '@actions/core'

/**
 * The runner masks exact strings only: a secret cut in half, URL-encoded (in a path or in a form
 * body), JSON-escaped or Markdown-escaped gets through its mask. So every form a secret can take
 * is registered here, and `redact` removes them from any outside text before it is cut, escaped
 * or printed.
 */
const forms = new Set<string>()

/**
 * Invisible format characters (U+200B, U+00AD, U+2060 and the like): inside an echoed secret they
 * hide it from an exact match and vanish on screen, so they are dropped before matching.
 */
const INVISIBLE = /\p{Cf}/gu

export function registerSecret(value: string): void {
  const trimmed = value.replace(INVISIBLE, '').trim()
  if (!trimmed) return
  const json = JSON.stringify(trimmed).slice(1, -1)
  // A form body (an OAuth2 token request) quoted back in an error spells it this way: unlike
  // encodeURIComponent, ~ ! ' ( ) are %XX and a space is +.
  const formEncoded = new URLSearchParams({ s: trimmed }).toString().slice(2)
  for (const form of [
    trimmed,
    value.trim(),
    encodeURIComponent(trimmed),
    formEncoded,
    json,
    json.replace(/\//g, '\\/')
  ]) {
    if (forms.has(form)) continue
    forms.add(form)
    core.setSecret(form)
  }
}

/**
 * `text` with every registered secret, in every form, replaced by ***. Where only dropping the
 * invisible characters shows a secret, they are dropped (the text is otherwise left as it came:
 * an output's names keep their joiners).
 */
export function redact(text: string): string {
  const plain = replaceForms(text)
  const visible = text.replace(INVISIBLE, '')
  if (visible === text) return plain
  const revealed = replaceForms(visible)
  return revealed === visible ? plain : revealed
}

function replaceForms(text: string): string {
  let out = text
  // longest first, so a secret that contains another is removed whole
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (out.includes(form)) out = out.split(form).join('***')
  }
  return out
}
