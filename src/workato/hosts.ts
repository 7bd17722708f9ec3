import { isLoopback } from '../shared/http/urls.js'

/** Workato data centers, as listed in Workato's API docs. */
export const DATA_CENTERS: Readonly<Record<string, string>> = {
  us: 'https://www.workato.com',
  eu: 'https://app.eu.workato.com',
  jp: 'https://app.jp.workato.com',
  sg: 'https://app.sg.workato.com',
  au: 'https://app.au.workato.com',
  il: 'https://app.il.workato.com',
  uk: 'https://app.uk.workato.com',
  kr: 'https://app.kr.workato.com',
  cn: 'https://app.workatoapp.cn',
  trial: 'https://app.trial.workato.com'
}

/**
 * Resolves a data-center code or a base URL (Virtual Private Workato) to an origin.
 * Returns an error text instead of throwing so the caller can name the input.
 */
export function resolveHost(value: string): { url: string } | { problem: string } {
  const code = value.toLowerCase()
  const known = Object.hasOwn(DATA_CENTERS, code) ? DATA_CENTERS[code] : undefined
  if (known) return { url: known }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const known = dataCenterOfHost(value)
    if (known) {
      return { problem: `is a host name: did you mean \`${known}\` or \`${DATA_CENTERS[known]}\`?` }
    }
    return {
      problem: `must be a data-center code (${Object.keys(DATA_CENTERS).join(', ')}) or an https:// base URL`
    }
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { problem: 'is not a valid URL' }
  }
  if (url.username || url.password) {
    return { problem: 'must not contain credentials; pass the token in its own input' }
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return { problem: 'must use https:// (plain http:// is accepted only for loopback hosts)' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: 'must use https://' }
  }
  // Workato's docs print base URLs with /api/ at the end; every path here starts with /api/.
  if (!/^\/?(api\/?)?$/.test(url.pathname) || url.search || url.hash) {
    return { problem: `must be a base URL without a path or query, such as ${DATA_CENTERS.eu}` }
  }
  return { url: url.origin }
}

/** The data-center code of a Workato host name typed without a scheme (app.eu.workato.com/api/). */
function dataCenterOfHost(value: string): string | undefined {
  const host = value.toLowerCase().split('/')[0]
  return Object.entries(DATA_CENTERS).find(([, url]) => new URL(url).host === host)?.[0]
}
