/**
 * Reads action inputs and collects what is wrong with them, so every mistake is reported at
 * once, one line per input, before any request. Typed getters for the shapes inputs take.
 */
import * as path from 'node:path'
import { InputError, InputErrors } from './errors.js'
import { isLoopback } from './http/urls.js'

const MAX_INPUT_LENGTH = 4096
/** Linux and macOS refuse longer file or folder names (ENAMETOOLONG). */
const MAX_NAME_BYTES = 255
const MAX_QUOTED = 40
/** Characters the artifact service refuses in a name. */
const ARTIFACT_NAME_FORBIDDEN = /[":<>|*?\r\n\\/]/
/** Artifact names also name files (<name>.zip, <name>-snapshot-…): room for such suffixes. */
const MAX_ARTIFACT_NAME_BYTES = 200

/** `N`: the names the action declares, so reading any other name is a type error. */
export class InputReader<N extends string = string> {
  private readonly errors: InputError[] = []

  constructor(private readonly get: (name: N) => string) {}

  /** Records a problem with `input`; only its first one is kept (the one to fix first). */
  fail(input: N, problem: string): undefined {
    if (!this.errors.some(e => e.input === input)) this.errors.push(new InputError(input, problem))
    return undefined
  }

  /** Throws every problem recorded so far, if there is any. */
  check(): void {
    if (this.errors.length > 0) throw new InputErrors(this.errors)
  }

  text(name: N): string {
    const value = this.get(name).trim()
    if (value.length > MAX_INPUT_LENGTH) {
      this.fail(name, `is too long (${value.length} characters, at most ${MAX_INPUT_LENGTH})`)
      return ''
    }
    return value
  }

  /**
   * A token or secret that goes into an HTTP header or form: printable ASCII without spaces. An
   * empty one is usually a secret the job cannot see, which is said when `required` says it is needed.
   */
  secret(name: N, required: string | undefined): string | undefined {
    const value = this.text(name)
    if (!value) {
      if (!required) return undefined
      return this.fail(
        name,
        `is empty (required ${required}): if it comes from a secret, this job cannot see it ` +
          "(an environment's secret needs environment: on the job; a fork's pull request gets none; check its name)"
      )
    }
    if (/^bearer\s/i.test(value)) {
      return this.fail(
        name,
        'starts with "Bearer ": give the token alone, the action adds the prefix'
      )
    }
    if (!/^[\x21-\x7e]+$/.test(value)) {
      return this.fail(name, 'must be printable ASCII without spaces or line breaks')
    }
    return value
  }

  /** One of `choices`, case-insensitive; `fallback` when empty. */
  choice<T extends string>(name: N, choices: readonly T[], fallback: T): T | undefined {
    const text = this.text(name) || fallback
    const found = choices.find(c => c === text.toLowerCase())
    if (!found) this.fail(name, `must be one of ${choices.join(', ')} (got ${quote(text)})`)
    return found
  }

  /** A positive integer id, as text; `required` says why it is needed when it is. */
  id(name: N, required?: string): string | undefined {
    const text = this.text(name)
    if (!text) return required ? this.fail(name, `is required ${required}`) : undefined
    if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
      return this.fail(name, `must be a positive integer (got ${quote(text)})`)
    }
    return text
  }

  /** true or false in the YAML spellings the runner passes through; `fallback` when empty. */
  bool(name: N, fallback: boolean): boolean {
    const text = this.text(name)
    if (!text) return fallback
    if (/^(true|True|TRUE)$/.test(text)) return true
    if (/^(false|False|FALSE)$/.test(text)) return false
    this.fail(name, `must be true or false (got ${quote(text)})`)
    return fallback
  }

  /** A whole number from 1 to `max` of `unit`; `fallback` when empty (or wrong). */
  count(name: N, unit: string, max: number, fallback: number): number
  count(name: N, unit: string, max: number): number | undefined
  count(name: N, unit: string, max: number, fallback?: number): number | undefined {
    const text = this.text(name)
    if (!text) return fallback
    const n = Number(text)
    if (!/^[0-9]+$/.test(text) || n < 1 || n > max) {
      this.fail(name, `must be a whole number of ${unit} from 1 to ${max} (got ${quote(text)})`)
      return fallback
    }
    return n
  }

  /**
   * An https:// URL (plain http only for loopback hosts: a local simulator), without credentials,
   * query or fragment; `fallback` when empty. Returned without a trailing slash.
   */
  url(name: N, fallback: string): string | undefined {
    const text = this.text(name) || fallback
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return this.fail(name, `must be an https:// URL (got ${quote(text)})`)
    }
    if (url.username || url.password) {
      return this.fail(name, 'must not contain credentials; they have inputs of their own')
    }
    if (url.protocol === 'http:' ? !isLoopback(url.hostname) : url.protocol !== 'https:') {
      return this.fail(name, 'must use https:// (plain http:// only for loopback hosts)')
    }
    if (url.search || url.hash) return this.fail(name, 'must not have a query or a fragment')
    return url.href.replace(/\/+$/, '')
  }

  /**
   * Values separated by commas or line breaks (how YAML lists are usually passed), trimmed,
   * empty ones and repeats dropped; `fallback` when there are none.
   */
  list(name: N, fallback: string[] = []): string[] {
    const values = this.text(name)
      .split(/[,\r\n]+/)
      .map(v => v.trim())
      .filter(Boolean)
    return values.length > 0 ? [...new Set(values)] : fallback
  }

  /** A name the artifact service accepts, with room for suffixes; `fallback` when empty. */
  artifactName(name: N, fallback: string): string {
    const text = this.text(name) || fallback
    if (ARTIFACT_NAME_FORBIDDEN.test(text)) {
      this.fail(name, 'must not contain any of " : < > | * ? \\ / or line breaks')
    } else if (Buffer.byteLength(text) > MAX_ARTIFACT_NAME_BYTES) {
      this.fail(name, `is too long (at most ${MAX_ARTIFACT_NAME_BYTES} bytes)`)
    }
    return text
  }

  /** A file path (not a folder, URL or anything with line breaks), resolved from `base`. */
  filePath(name: N, base: string): string | undefined {
    const text = this.text(name)
    if (!text) return undefined
    const problem = pathProblem(text, 'file')
    if (problem) return this.fail(name, problem)
    if (/[/\\]$/.test(text)) {
      return this.fail(name, `must name a file, not a folder (got ${quote(text)})`)
    }
    return path.resolve(base, text)
  }

  /** A folder path (not a URL or anything with line breaks), resolved from `base`. */
  folderPath(name: N, base: string): string | undefined {
    const text = this.text(name)
    if (!text) return undefined
    const problem = pathProblem(text, 'folder')
    return problem ? this.fail(name, problem) : path.resolve(base, text)
  }
}

function pathProblem(text: string, kind: 'file' | 'folder'): string | undefined {
  if (text.includes('\0') || /[\r\n]/.test(text)) {
    return 'must not contain line breaks or NUL characters'
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return `must be a ${kind} path, not a URL`
  if (text.split(/[/\\]/).some(part => Buffer.byteLength(part) > MAX_NAME_BYTES)) {
    return `has a file or folder name longer than ${MAX_NAME_BYTES} bytes`
  }
  return undefined
}

/** A relative path (from path.relative) that leaves its base: "..", "../x", not "..release". */
export function leavesBase(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

/** A value the reader's checks guarantee once check() has passed (a missing one was reported). */
export function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('an input passed its checks without a value')
  return value
}

/**
 * Quotes a user value for an error line: whole when it is short and does not look like a secret,
 * else not at all (its length only), since a token pasted into the wrong input must not be
 * printed, not even in part: the runner masks only secrets it knows, and only whole.
 */
export function quote(value: string): string {
  // Control and format characters (NUL, bidi overrides …) are shown as '?': one short line.
  const line = value.replace(/[\r\n]+/g, ' ').replace(/\p{C}/gu, '?')
  if (line.length > MAX_QUOTED || looksSecret(line)) {
    return `a value of ${[...value].length} characters, not shown`
  }
  return JSON.stringify(line)
}

/** Long runs of token characters mixing letters and digits: what API tokens look like. */
function looksSecret(value: string): boolean {
  return /[A-Za-z0-9_\-+/=.~]{16,}/.test(value) && /[A-Za-z]/.test(value) && /[0-9]/.test(value)
}

/** The variable the runner passes an input in: upper case, spaces to underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** Longest unknown name shown whole; env names are the workflow's, but one line stays short. */
const MAX_SHOWN_NAME = 60

/**
 * The INPUT_* variables in `env` that name none of the `declared` inputs, one error each. The
 * runner only warns about a `with:` key the action does not declare and passes it on anyway, so
 * a misspelt snapshot-manifest-id would silently turn the rollback off. The runner sets INPUT_*
 * for `with:` keys and defaults only; one set by hand through `env:` counts the same, since the
 * action cannot tell them apart and getInput would read it all the same.
 */
export function unknownInputs(declared: readonly string[], env: NodeJS.ProcessEnv): InputError[] {
  const known = new Set(declared.map(inputVariable))
  const errors: InputError[] = []
  for (const variable of Object.keys(env).sort()) {
    // upper-cased: on Windows, where names are case-insensitive, getInput reads INPUT_mode too
    if (!variable.startsWith('INPUT_') || known.has(variable.toUpperCase())) continue
    // the runner upper-cased what the step wrote, which is most likely in lower case
    const written = variable.slice('INPUT_'.length).toLowerCase()
    const name = shownName(written)
    const nearest = nearestInputs(written, declared)
    const line = nearest.length
      ? `Unknown input \`${name}\`: did you mean ${nearest.map(n => `\`${n}\``).join(' or ')}?`
      : `Unknown input \`${name}\`: this action has no input of that name or one close to it ` +
        '(its inputs are in action.yml and the README)'
    errors.push(new InputError(name, 'is not an input of this action', line))
  }
  return errors
}

/**
 * The declared names nearest to `name` by edit distance, when close enough to be what was meant:
 * ties are all given. Separators count as one (the runner turns spaces into underscores, and
 * snake_case for kebab-case is the usual slip), so such a slip is distance 0.
 */
export function nearestInputs(name: string, declared: readonly string[]): string[] {
  const given = separatorsAlike(name)
  let best = Infinity
  let nearest: string[] = []
  for (const candidate of declared) {
    const distance = editDistance(given, separatorsAlike(candidate))
    if (distance > closeEnough(candidate) || distance > best) continue
    if (distance < best) nearest = []
    best = distance
    nearest.push(candidate)
  }
  return nearest
}

/**
 * A third of the name's length (at least 1): `folder` is still `folder-id`, but `token` is
 * neither `source-token` nor `target-token`, where a guess would more likely mislead than help.
 */
function closeEnough(name: string): number {
  return Math.max(1, Math.floor(name.length / 3))
}

function separatorsAlike(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '-')
}

/**
 * Levenshtein distance with swaps of neighbours counted as one edit (optimal string alignment):
 * `mainfest-id` is one slip from `manifest-id`, not two.
 */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  let before = new Array<number>(y.length + 1).fill(0)
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j)
  // the rows are filled for every index read below; `at` keeps the reads typed as numbers
  const at = (row: number[], j: number): number => row[j] ?? Infinity
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      let d = Math.min(at(previous, j) + 1, at(current, j - 1) + 1, at(previous, j - 1) + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        d = Math.min(d, at(before, j - 2) + 1)
      }
      current[j] = d
    }
    before = previous
    previous = current
  }
  return at(previous, y.length)
}

/** An env name made fit for one error line: control characters shown as '?', cut when long. */
function shownName(name: string): string {
  const line = name.replace(/\p{C}/gu, '?')
  return line.length > MAX_SHOWN_NAME ? `${line.slice(0, MAX_SHOWN_NAME - 3)}...` : line
}
