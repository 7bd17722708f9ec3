import { redact } from './secrets.js'

/**
 * Text from outside (a server's status, message or names) made fit for one log line: secrets
 * removed first (so a cut never leaves half of one), control and format characters dropped,
 * white space folded, cut to `max` characters.
 */
export function oneLine(text: string, max = 300): string {
  const line = redact(text)
    .replace(/\p{C}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return line.length > max ? `${line.slice(0, max - 3)}...` : line
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** "1 file", "3 files"; a noun already ending in s (properties) is left as it is. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 || noun.endsWith('s') ? '' : 's'}`
}
