/**
 * What changed between two Workato packages, in the terms a reviewer reads: recipes by trigger,
 * step, connection and field, other assets by content. One definition of "changed" (the
 * semantic digest) serves the plan, this summary and drift: it ignores what Workato rewrites on
 * every save or export and never what a recipe does. This module only compares: it never
 * rewrites a file (Workato pretty-prints its JSON, and the bytes imported are the bytes given).
 */
import { createHash } from 'node:crypto'
import * as path from 'node:path'
import { esc } from '../shared/report.js'
import { oneLine } from '../shared/text.js'
import { assetType, RECIPE_BYTES } from './inventory.js'

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged'

/** A step, by its id and what it is: "rest make_request_v2", "if", "logger log_message". */
export interface StepRef {
  /** Workato's `as`, as the package spells it ('' when the step has none) */
  as: string
  label: string
}

/**
 * One recipe. A 'changed' recipe that was read on both sides has `steps`, `connections`,
 * `fields` and `triggerInputChanged` (lists possibly empty); one that could not be read (not
 * JSON, not an object, or over RECIPE_BYTES) has none of them: it was compared by digest only.
 */
export interface RecipeChange {
  path: string
  /** `name` from the newer side (or older if removed); fallback: file base name */
  name: string
  kind: ChangeKind
  /** "clock scheduled_event" → "http new_request": present when provider/name changed */
  trigger?: { before: string; after: string }
  /** same trigger, different input or other fields of it */
  triggerInputChanged?: boolean
  /** moved: same `as`, same content, another parent or place among its siblings */
  steps?: { added: StepRef[]; removed: StepRef[]; changed: StepRef[]; moved: StepRef[] }
  /** apps used: "rest (CICD Demo | CON | HTTP Connection)" or "clock" */
  connections?: { added: string[]; removed: string[] }
  /** top-level fields other than code, config and version that changed, sorted */
  fields?: string[]
}

export interface AssetChange {
  path: string
  type: string
  kind: ChangeKind
}

export interface PackageChanges {
  /** sorted by path */
  recipes: RecipeChange[]
  /** every non-recipe asset, sorted by path */
  assets: AssetChange[]
  /** over recipes and assets together */
  counts: Record<ChangeKind, number>
}

/**
 * What the semantic digest leaves out, and why each is safe to leave out: none of them ever
 * changes what a recipe does, and each changes between releases that do the same thing.
 */
export const IGNORED_IN_DIGEST: ReadonlyArray<{ what: string; why: string }> = [
  {
    what: 'the top-level `version` of a recipe',
    // Workato's own save counter: it goes up on every save, even one that changes nothing
    why: 'a save counter that goes up on every save; the recipe it counts is compared in full'
  },
  {
    what: 'keys named created_at, updated_at, last_run_at or exported_at at the top of an asset',
    // when an asset was made, saved, run or exported: history of the copy, not its behaviour.
    // Only at the top: inside a recipe's code a key of that name is a connector's field, whose
    // value is what the step sends (a change there must never make a plan skip an import)
    why: 'when the copy was made, saved, run or exported, not what it does'
  },
  {
    what: 'keys whose value is an empty object {} (once what is inside is normalized), at any depth',
    // Workato's format changes add and remove `"dynamicPickListSelection": {}`,
    // `"toggleCfg": {}` and the like: an empty object configures nothing
    why: 'format changes add and remove `"dynamicPickListSelection": {}` and the like; an empty object sets nothing'
  },
  {
    what: 'the order of keys in an object, and white space',
    // Workato reorders keys between versions; arrays keep their order (steps, list items)
    why: 'JSON objects are unordered; arrays keep their order, so a reordered list is a change'
  }
]

/** Named timestamps, dropped whatever their value. */
const TIMESTAMP_KEYS: ReadonlySet<string> = new Set([
  'created_at',
  'updated_at',
  'last_run_at',
  'exported_at'
])

/** Steps deeper than this are content of their ancestor at this depth, not steps of their own. */
export const MAX_STEP_DEPTH = 64

/** Step refs a recipe lists in the Markdown before "… and N more steps". */
export const MAX_STEP_REFS = 200

/** Connections or fields a recipe lists in the Markdown before "… and N more". */
const MAX_NAMES = 50

/** Characters of any package-supplied text in the Markdown (names, labels, paths). */
const TEXT_CHARS = 100

const RECIPE_ONLY: ReadonlySet<string> = new Set(['version'])
const NOTHING: ReadonlySet<string> = new Set()

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A key the digest leaves out (IGNORED_IN_DIGEST): a timestamp of the copy, at the top only. */
function ignoredKey(key: string, atRoot: boolean): boolean {
  return atRoot && TIMESTAMP_KEYS.has(key)
}

type Frame =
  | { array: true; items: unknown[]; i: number; count: number }
  | {
      array: false
      value: Json
      keys: string[]
      i: number
      count: number
      /** what opens it in its parent (`,"key":{`): written only once it has a member */
      prefix: string
    }

/**
 * The canonical form of `root` (IGNORED_IN_DIGEST), as a sha256. Iterative, never recursive:
 * JSON.parse takes a 100,000-deep array in its stride but any recursive walk overflows the stack,
 * so the rules hold at every depth with no limit to choose. The form streams into the hash; an
 * object under a key is opened only when its first member is written, so one left empty (once
 * normalized) leaves no trace. `omit` lists keys left out of the root object only.
 */
function canonicalDigest(root: unknown, omit: ReadonlySet<string> = NOTHING): string {
  const hash = createHash('sha256')
  let chunk = ''
  const write = (token: string) => {
    chunk += token
    if (chunk.length > 65_536) {
      hash.update(chunk)
      chunk = ''
    }
  }
  const stack: Frame[] = []
  // stack[0 .. written - 1] are open in the output; those above wait for a first member
  let written = 0
  const commit = () => {
    for (; written < stack.length; written++) {
      const frame = stack[written] as Frame
      if (!frame.array) write(frame.prefix)
      const below = stack[written - 1]
      if (below && !frame.array) below.count++
    }
  }
  const keysOf = (value: Json, atRoot: boolean) =>
    Object.keys(value)
      .filter(k => !ignoredKey(k, atRoot) && !(atRoot && omit.has(k)))
      .sort()
  /** `value` as the next member of the top frame (its opening, for an array or object). */
  const open = (value: unknown, key: string | undefined) => {
    const parent = stack[stack.length - 1]
    const lead = `${parent && parent.count > 0 ? ',' : ''}${key === undefined ? '' : `${JSON.stringify(key)}:`}`
    if (isObject(value) && key !== undefined) {
      // written (and counted in its parent) by commit(), when a member of its own is
      stack.push({
        array: false,
        value,
        keys: keysOf(value, false),
        i: 0,
        count: 0,
        prefix: `${lead}{`
      })
      return
    }
    commit()
    if (parent) parent.count++
    if (Array.isArray(value)) {
      write(`${lead}[`)
      stack.push({ array: true, items: value, i: 0, count: 0 })
    } else if (isObject(value)) {
      write(`${lead}{`)
      stack.push({ array: false, value, keys: keysOf(value, !parent), i: 0, count: 0, prefix: '' })
    } else {
      write(`${lead}${JSON.stringify(value) ?? 'null'}`)
    }
    written = stack.length
  }
  open(root, undefined)
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame
    if (top.array ? top.i < top.items.length : top.i < top.keys.length) {
      if (top.array) open(top.items[top.i++], undefined)
      else {
        const key = top.keys[top.i++] as string
        open(top.value[key], key)
      }
      continue
    }
    stack.pop()
    // one never written is an empty object under a key: dropped whole
    if (written > stack.length) {
      write(top.array ? ']' : '}')
      written = stack.length
    }
  }
  hash.update(chunk)
  return hash.digest('hex')
}

/** The digest of `{}`: a member with this digest is as good as absent. */
const EMPTY_OBJECT = sha256('{}')

/** Strict UTF-8 (a stray byte is not U+FFFD, which two different bytes would both become). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** `content` as JSON, or undefined: not UTF-8, not JSON, or holding a number a double loses. */
function parseJson(content: Buffer): { value: unknown } | undefined {
  let text: string
  try {
    text = UTF8.decode(content)
  } catch {
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return lossyNumber(text) ? undefined : { value }
}

/**
 * Whether `text` (valid JSON) holds a number that a double does not keep exactly: more than 15
 * significant digits, or out of range. Two such numbers can parse to the same double, and the
 * canonical form would call them equal; the file is then compared by its bytes.
 */
function lossyNumber(text: string): boolean {
  const token = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      token.lastIndex = i
      const literal = token.exec(text)?.[0] ?? text.charAt(i)
      const digits = (literal.split(/[eE]/)[0] ?? '').replace(/[-.]/g, '').replace(/^0+|0+$/g, '')
      const n = Math.abs(Number(literal))
      if (digits.length > 15 || !Number.isFinite(n) || (digits.length > 0 && n < 2.3e-308)) {
        return true
      }
      i += literal.length - 1
    }
  }
  return false
}

/**
 * The sha256 hex of a file's canonical form: for a `.json` file that parses, the JSON with what
 * IGNORED_IN_DIGEST lists left out, keys sorted, arrays in their order; for anything else (or
 * JSON that does not parse, is not UTF-8, or holds a number a double cannot keep exactly) the
 * sha256 of its bytes. Step numbers are kept: a reorder is a change.
 */
export function semanticDigest(entryPath: string, content: Buffer): string {
  return read(entryPath, content).digest
}

/** A file's digest, and its JSON when it is a `.json` file the digest read as JSON. */
function read(entryPath: string, content: Buffer): { digest: string; json?: { value: unknown } } {
  const json = entryPath.endsWith('.json') ? parseJson(content) : undefined
  if (!json) return { digest: sha256(content) }
  const omit = assetType(entryPath) === 'recipe' ? RECIPE_ONLY : NOTHING
  return { digest: canonicalDigest(json.value, omit), json }
}

/** A recipe's JSON object, or undefined: absent, too large, not JSON, not an object. */
function recipeOf(content: Buffer | undefined, json: { value: unknown } | undefined) {
  if (!content || content.length > RECIPE_BYTES || !json) return undefined
  return isObject(json.value) ? json.value : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** "rest make_request_v2" for an action or trigger; the keyword (if, foreach, try) otherwise. */
function stepLabel(step: Json): string {
  const keyword = text(step.keyword)
  const app = [text(step.provider), text(step.name)].filter(Boolean).join(' ')
  if (keyword && keyword !== 'action' && keyword !== 'trigger') return keyword
  return app || keyword || 'step'
}

interface StepInfo {
  ref: StepRef
  parent: string
  index: number
  own: string
}

/**
 * The steps under the trigger, by id, in Workato's order (depth first). A step's id is its `as`
 * (Workato's short id, which survives edits and moves); a step without one (Workato writes
 * `if` without it) falls back to its `uuid`, and one without either to its path of positions
 * (which a move or an insertion above it changes: such a step then reads removed and added).
 * A second step with an id already seen also falls back to its path. Its own content leaves out
 * its `number` (its position) and its `block` (its children, compared on their own), except at
 * MAX_STEP_DEPTH, where the walk stops and whatever lies under the step is its content.
 */
function stepsOf(code: Json | undefined): Map<string, StepInfo> {
  const steps = new Map<string, StepInfo>()
  type Pending = { step: Json; parent: string; place: string; index: number; depth: number }
  const stack: Pending[] = []
  const push = (block: unknown, parent: string, place: string, depth: number) => {
    if (!Array.isArray(block)) return
    for (let i = block.length - 1; i >= 0; i--) {
      const step: unknown = block[i]
      if (isObject(step)) stack.push({ step, parent, place: `${place}/${i}`, index: i, depth })
    }
  }
  push(code?.block, 'trigger', '', 1)
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { step, parent, place, index, depth } = next
    const as = text(step.as)
    const uuid = text(step.uuid)
    let id = as ? `as:${as}` : uuid ? `uuid:${uuid}` : `at:${place}`
    if (steps.has(id)) id = `at:${place}`
    const leaf = depth >= MAX_STEP_DEPTH
    steps.set(id, {
      ref: { as: typeof step.as === 'string' ? step.as : '', label: stepLabel(step) },
      parent,
      index,
      own: canonicalDigest(step, leaf ? new Set(['number']) : new Set(['number', 'block']))
    })
    if (!leaf) push(step.block, id, place, depth + 1)
  }
  return steps
}

/**
 * The ids of `seq` (before-side positions, in after-side order) that keep their order: a longest
 * increasing subsequence, so that a step inserted above others does not move them all.
 */
function inPlace(seq: Array<{ id: string; before: number }>): Set<string> {
  const tails: number[] = [] // tails[k]: index in seq of the smallest end of an increasing run of k+1
  const previous: number[] = []
  seq.forEach((item, i) => {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((seq[tails[mid] as number] as { before: number }).before < item.before) lo = mid + 1
      else hi = mid
    }
    previous[i] = lo > 0 ? (tails[lo - 1] as number) : -1
    tails[lo] = i
  })
  const kept = new Set<string>()
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = previous[i] as number) {
    kept.add((seq[i] as { id: string }).id)
  }
  return kept
}

function compareSteps(
  before: Map<string, StepInfo>,
  after: Map<string, StepInfo>
): NonNullable<RecipeChange['steps']> {
  const result: NonNullable<RecipeChange['steps']> = {
    added: [],
    removed: [],
    changed: [],
    moved: []
  }
  const siblings = new Map<string, Array<{ id: string; before: number }>>()
  for (const [id, now] of after) {
    const was = before.get(id)
    if (!was || was.parent !== now.parent) continue
    const group = siblings.get(now.parent) ?? []
    group.push({ id, before: was.index })
    siblings.set(now.parent, group)
  }
  const kept = new Set<string>()
  for (const group of siblings.values()) for (const id of inPlace(group)) kept.add(id)
  for (const [id, now] of after) {
    const was = before.get(id)
    if (!was) result.added.push(now.ref)
    else if (was.own !== now.own) result.changed.push(now.ref)
    else if (!kept.has(id)) result.moved.push(now.ref)
  }
  for (const [id, was] of before) if (!after.has(id)) result.removed.push(was.ref)
  return result
}

/** The apps a recipe's config uses: "rest (CICD Demo | CON | HTTP Connection)", "clock". */
function connectionsOf(config: unknown): string[] {
  const apps = new Set<string>()
  if (!Array.isArray(config)) return []
  for (const entry of config as unknown[]) {
    if (!isObject(entry)) continue
    const provider = text(entry.provider)
    if (!provider) continue
    const account = isObject(entry.account_id) ? text(entry.account_id.name) : undefined
    apps.add(account ? `${provider} (${account})` : provider)
  }
  return [...apps]
}

/** Digest of each top-level field but code, config and version, as the digest sees them. */
function fieldsOf(recipe: Json): Map<string, string> {
  const fields = new Map<string, string>()
  for (const key of Object.keys(recipe)) {
    if (key === 'code' || key === 'config' || key === 'version') continue
    if (ignoredKey(key, true)) continue
    const digest = canonicalDigest(recipe[key])
    if (digest !== EMPTY_OBJECT || !isObject(recipe[key])) fields.set(key, digest)
  }
  return fields
}

function triggerOf(code: Json | undefined): string {
  return code ? [text(code.provider), text(code.name)].filter(Boolean).join(' ') : ''
}

/** The detail of a recipe read on both sides. */
function recipeDetail(before: Json, after: Json): Omit<RecipeChange, 'path' | 'name' | 'kind'> {
  const codeBefore = isObject(before.code) ? before.code : undefined
  const codeAfter = isObject(after.code) ? after.code : undefined
  const detail: Omit<RecipeChange, 'path' | 'name' | 'kind'> = {}
  const trigger = { before: triggerOf(codeBefore), after: triggerOf(codeAfter) }
  if (trigger.before !== trigger.after) detail.trigger = trigger
  const own = (code: Json | undefined) =>
    code ? canonicalDigest(code, new Set(['number', 'block'])) : ''
  detail.triggerInputChanged = !detail.trigger && own(codeBefore) !== own(codeAfter)
  detail.steps = compareSteps(stepsOf(codeBefore), stepsOf(codeAfter))
  const appsBefore = connectionsOf(before.config)
  const appsAfter = connectionsOf(after.config)
  detail.connections = {
    added: appsAfter.filter(app => !appsBefore.includes(app)),
    removed: appsBefore.filter(app => !appsAfter.includes(app))
  }
  const fieldsBefore = fieldsOf(before)
  const fieldsAfter = fieldsOf(after)
  const fields = new Set<string>()
  for (const [key, digest] of fieldsAfter) if (fieldsBefore.get(key) !== digest) fields.add(key)
  for (const key of fieldsBefore.keys()) if (!fieldsAfter.has(key)) fields.add(key)
  detail.fields = [...fields].sort()
  return detail
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** `before` is the older side (the target's snapshot or the previous release), `after` the newer (the package to import). */
export function comparePackages(
  before: Map<string, Buffer>,
  after: Map<string, Buffer>
): PackageChanges {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort(byCodeUnits)
  const changes: PackageChanges = {
    recipes: [],
    assets: [],
    counts: { added: 0, removed: 0, changed: 0, unchanged: 0 }
  }
  for (const entryPath of paths) {
    const was = before.get(entryPath)
    const now = after.get(entryPath)
    const older = was && read(entryPath, was)
    const newer = now && read(entryPath, now)
    const kind: ChangeKind = !older
      ? 'added'
      : !newer
        ? 'removed'
        : older.digest === newer.digest
          ? 'unchanged'
          : 'changed'
    changes.counts[kind]++
    const type = assetType(entryPath)
    if (type !== 'recipe') {
      changes.assets.push({ path: entryPath, type, kind })
      continue
    }
    const recipeBefore = recipeOf(was, older?.json)
    const recipeAfter = recipeOf(now, newer?.json)
    const name =
      text(recipeAfter?.name) ??
      text(recipeBefore?.name) ??
      path.posix.basename(entryPath).replace(/(\.[a-z_]+)?\.json$/, '')
    const recipe: RecipeChange = { path: entryPath, name, kind }
    if (kind === 'changed' && recipeBefore && recipeAfter) {
      Object.assign(recipe, recipeDetail(recipeBefore, recipeAfter))
    }
    changes.recipes.push(recipe)
  }
  return changes
}

/** Package text made safe for one line of Markdown: no HTML, links or layout; ~100 characters. */
function safe(value: string): string {
  return esc(oneLine(value, TEXT_CHARS))
}

/** A step as Markdown: its `as` in code only when it is Workato's short id, then its label. */
function stepMarkdown(step: StepRef): string {
  const as = /^[0-9a-z_]{1,32}$/i.test(step.as) ? `\`${step.as}\` ` : ''
  return `${as}${safe(step.label)}`
}

function listed(items: string[], max = MAX_NAMES): string {
  const shown = items.slice(0, max).map(safe).join(', ')
  return items.length > max ? `${shown}, … and ${items.length - max} more` : shown
}

const KIND_WORD: Record<ChangeKind, string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  unchanged: 'Unchanged'
}

/** The lines of one recipe: its bullet, then what changed in it. */
function recipeLines(recipe: RecipeChange): string[] {
  const lines = [`- **${KIND_WORD[recipe.kind]}** ${safe(recipe.name)} (${safe(recipe.path)})`]
  if (recipe.kind !== 'changed') return lines
  if (!recipe.steps) {
    lines.push(`  - Not readable as a recipe (not JSON, or over 8 MiB): compared by content only`)
    return lines
  }
  if (recipe.trigger) {
    const before = recipe.trigger.before || '(none)'
    const after = recipe.trigger.after || '(none)'
    lines.push(`  - Trigger: ${safe(before)} → ${safe(after)}`)
  }
  if (recipe.triggerInputChanged) lines.push('  - Trigger input changed')
  let room = MAX_STEP_REFS
  let left = 0
  for (const [what, refs] of [
    ['added', recipe.steps.added],
    ['removed', recipe.steps.removed],
    ['changed', recipe.steps.changed],
    ['moved', recipe.steps.moved]
  ] as const) {
    const shown = refs.slice(0, room)
    room -= shown.length
    left += refs.length - shown.length
    if (shown.length > 0) lines.push(`  - Steps ${what}: ${shown.map(stepMarkdown).join(', ')}`)
  }
  if (left > 0) lines.push(`  - … and ${left} more ${left === 1 ? 'step' : 'steps'}`)
  const { added, removed } = recipe.connections ?? { added: [], removed: [] }
  if (added.length > 0) lines.push(`  - Connections added: ${listed(added)}`)
  if (removed.length > 0) lines.push(`  - Connections removed: ${listed(removed)}`)
  if (recipe.fields && recipe.fields.length > 0) {
    lines.push(`  - Fields changed: ${listed(recipe.fields)}`)
  }
  if (lines.length === 1) {
    lines.push(
      '  - Its trigger, steps, connections and fields read the same: what differs is step numbering or connection settings'
    )
  }
  return lines
}

function countLine(label: string, items: Array<{ kind: ChangeKind }>): string {
  const n = (kind: ChangeKind) => items.filter(item => item.kind === kind).length
  return `**${label}:** ${n('changed')} changed, ${n('added')} added, ${n('removed')} removed, ${n('unchanged')} unchanged`
}

/**
 * Markdown for a job summary or PR comment: the counts, then one bullet per added, removed or
 * changed recipe with what changed in it, then the changed assets; unchanged ones only counted.
 * At most `maxChars` characters: past that, the rest is counted in a last line ("… and 212 more
 * changes"), never cut mid-line. Every string from the package is escaped and cut to one line.
 */
export function renderChanges(
  changes: PackageChanges,
  options: { maxChars?: number; title?: string } = {}
): string {
  const max = options.maxChars ?? 60_000
  const head = [
    `### ${oneLine(options.title ?? 'Changes', 200)}`,
    '',
    `${countLine('Recipes', changes.recipes)} · ${countLine('Other assets', changes.assets)}`
  ]
  const recipes = changes.recipes.filter(r => r.kind !== 'unchanged')
  const assets = changes.assets.filter(a => a.kind !== 'unchanged')
  if (recipes.length + assets.length === 0) head.push('', 'Nothing changed.')
  const blocks: string[][] = [
    ...recipes.map((r, i) => [...(i === 0 ? ['', '#### Recipes', ''] : []), ...recipeLines(r)]),
    ...assets.map((a, i) => [
      ...(i === 0 ? ['', '#### Other assets', ''] : []),
      `- **${KIND_WORD[a.kind]}** ${safe(a.path)} (${safe(a.type)})`
    ])
  ]
  const more = (n: number) => `… and ${n} more ${n === 1 ? 'change' : 'changes'}`
  // room kept for the last line, at its longest, until the last block is in
  const reserve = `\n${more(blocks.length)}`.length + 1
  const lines = [...head]
  // the Markdown's length so far, its final newline included
  let size = head.join('\n').length + 1
  let shown = 0
  for (const block of blocks) {
    const grows = `${block.join('\n')}\n`.length
    const last = shown === blocks.length - 1
    if (size + grows + (last ? 0 : reserve) > max) break
    lines.push(...block)
    size += grows
    shown++
  }
  if (shown < blocks.length) lines.push('', more(blocks.length - shown))
  // a `max` too small for the head itself: whole lines only, from the top
  while (lines.length > 0 && (lines.join('\n').length + 1 > max || lines.at(-1) === '')) {
    lines.pop()
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}
