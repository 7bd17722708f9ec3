/**
 * What changed between two packages: the semantic digest (what counts as a change at all) and
 * the recipe-level detail a reviewer reads. The recipes are synthetic, shaped like Workato's
 * exports (`code` is the trigger, steps nest through `block`, `as` is a step's id).
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import {
  comparePackages,
  IGNORED_IN_DIGEST,
  MAX_STEP_DEPTH,
  renderChanges,
  semanticDigest,
  type PackageChanges,
  type RecipeChange
} from '../../src/workato/changes.js'
import { RECIPE_BYTES } from '../../src/workato/inventory.js'

type J = Record<string, unknown>

const action = (as: string, provider: string, name: string, input: J = {}): J => ({
  number: 0,
  provider,
  name,
  as,
  title: null,
  description: '',
  keyword: 'action',
  input,
  uuid: `uuid-${as}`,
  dynamicPickListSelection: {}
})

const ifStep = (as: string | undefined, block: J[]): J => ({
  number: 0,
  keyword: 'if',
  ...(as === undefined ? {} : { as }),
  input: { type: 'compound', operand: 'and', conditions: [{ operand: 'present', lhs: 'x' }] },
  block,
  uuid: `uuid-if-${as ?? 'none'}`
})

const CLOCK = {
  keyword: 'application',
  provider: 'clock',
  skip_validation: false,
  account_id: null
}
const LOGGER = {
  keyword: 'application',
  provider: 'logger',
  skip_validation: false,
  account_id: null
}
const REST = {
  keyword: 'application',
  provider: 'rest',
  skip_validation: false,
  account_id: {
    zip_name: 'cicd_demo_con_http_connection.connection.json',
    name: 'CICD Demo | CON | HTTP Connection',
    folder: ''
  }
}

/** Workato numbers steps in order, depth first, the trigger 0. */
function numbered(code: J): J {
  let n = 0
  const walk = (step: J): J => {
    const copy: J = { ...step, number: n++ }
    if (Array.isArray(step.block)) copy.block = (step.block as J[]).map(walk)
    return copy
  }
  return walk(code)
}

const trigger = (block: J[], over: J = {}): J =>
  numbered({
    number: 0,
    provider: 'clock',
    name: 'scheduled_event',
    as: '7f4e2a11',
    title: null,
    description: '',
    keyword: 'trigger',
    input: { time_unit: 'minutes', trigger_every: '5' },
    extended_input_schema: [],
    block,
    uuid: 'a090e692-0000-4000-8000-000000000001',
    format_version: 2,
    ...over
  })

const NAME = 'CICD Demo | FUNC | Test Scheduler'

const recipe = (block: J[], over: J = {}, triggerOver: J = {}): J => ({
  name: NAME,
  description: '',
  version: 12,
  private: true,
  concurrency: 1,
  code: trigger(block, triggerOver),
  config: [CLOCK, LOGGER, REST],
  ...over
})

const request = (url = 'https://example.test/pipeline') =>
  action('3f09b5b5', 'rest', 'make_request_v2', { request: { method: 'GET', url } })
const log = (message = 'hello') => action('83c018b3', 'logger', 'log_message', { message })
const check = (block: J[] = [log()]) => ifStep('a1b2c3d4', block)
const done = () => action('5e6f7a8b', 'workato_recipe_function', 'return_result', { ok: 'true' })
const steps = () => [request(), check(), done()]

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2))
const P = 'Integrations/cicd_demo_func_test_scheduler.recipe.json'

function one(before: J | Buffer, after: J | Buffer): RecipeChange {
  const bytes = (v: J | Buffer) => (Buffer.isBuffer(v) ? v : json(v))
  const changes = comparePackages(new Map([[P, bytes(before)]]), new Map([[P, bytes(after)]]))
  expect(changes.recipes).toHaveLength(1)
  return changes.recipes[0] as RecipeChange
}

/** A changed recipe whose every detail reads the same: each test says what differs. */
const nothing = {
  path: P,
  name: NAME,
  kind: 'changed',
  triggerInputChanged: false,
  steps: { added: [], removed: [], changed: [], moved: [] },
  connections: { added: [], removed: [] },
  fields: []
}

/** The same value with every object's keys in the reverse order (arrays keep theirs). */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)])
  )
}

const deep = (levels: number, inner = '') => '['.repeat(levels) + inner + ']'.repeat(levels)
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('semanticDigest', () => {
  test('a recipe whose version alone went up is unchanged', () => {
    expect(one(recipe(steps()), recipe(steps(), { version: 13 }))).toEqual({
      path: P,
      name: NAME,
      kind: 'unchanged'
    })
  })

  test('empty objects added and removed, keys reordered, white space: unchanged', () => {
    const before = recipe(steps())
    const after = reversed(recipe(steps())) as J
    const code = after.code as J
    const block = code.block as J[]
    code.toggleCfg = {}
    delete (block[0] as J).dynamicPickListSelection
    ;(block[2] as J).extended = { nested: {} }
    expect(semanticDigest(P, json(before))).toBe(
      semanticDigest(P, Buffer.from(JSON.stringify(after)))
    )
    expect(one(before, after)).toEqual({ path: P, name: NAME, kind: 'unchanged' })
  })

  test('timestamps are ignored at the top of an asset; a field of that name inside is compared', () => {
    const at = (value: J) => semanticDigest('x.connection.json', json(value))
    const base = { name: 'C', provider: 'rest', meta: { n: 1 } }
    expect(
      at({ ...base, created_at: 1, updated_at: '2024-01-01T00:00:00Z', last_run_at: null })
    ).toBe(at(base))
    expect(at({ ...base, seen_at: 'yesterday' })).not.toBe(at(base))
    // inside a recipe's code, `created_at` is a connector's field: what the step sends
    const step = (value: string) =>
      semanticDigest(P, json({ name: 'R', code: { input: { created_at: value } } }))
    expect(step('2024-01-01')).not.toBe(step('2025-01-01'))
  })

  test('version is dropped at the top of a recipe only', () => {
    const r = (version: unknown, inner: unknown) => json({ name: 'R', version, code: { inner } })
    expect(semanticDigest(P, r(1, 1))).toBe(semanticDigest(P, r(2, 1)))
    expect(semanticDigest(P, r(1, 1))).not.toBe(semanticDigest(P, r(1, 2)))
    const c = (version: number) => json({ name: 'C', version })
    expect(semanticDigest('c.connection.json', c(1))).not.toBe(
      semanticDigest('c.connection.json', c(2))
    )
  })

  test('arrays keep their order; an empty object in an array is kept', () => {
    const d = (value: unknown) => semanticDigest('l.lookup_table.json', json(value))
    expect(d({ rows: [1, 2] })).not.toBe(d({ rows: [2, 1] }))
    expect(d({ rows: [{}] })).not.toBe(d({ rows: [] }))
    expect(d({ rows: [{ a: {} }] })).toBe(d({ rows: [{}] }))
  })

  test('not JSON, broken JSON, stray bytes, numbers a double loses: the bytes decide', () => {
    const rb = Buffer.from('{\n  title: "My connector"\n}\n')
    expect(semanticDigest('c/my.rb', rb)).toBe(sha256(rb))
    const broken = Buffer.from('{"name": ')
    expect(semanticDigest(P, broken)).toBe(sha256(broken))
    const stray = (byte: number) =>
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([byte]), Buffer.from('"}')])
    expect(semanticDigest('x.json', stray(0xff))).toBe(sha256(stray(0xff)))
    expect(semanticDigest('x.json', stray(0xff))).not.toBe(semanticDigest('x.json', stray(0xfe)))
    // both parse to the same double: the canonical form would call them equal
    const big = (digits: string) => Buffer.from(`{"id": ${digits}}`)
    expect(semanticDigest('x.json', big('12345678901234567890'))).not.toBe(
      semanticDigest('x.json', big('12345678901234567891'))
    )
    expect(semanticDigest('x.json', big('1e400'))).toBe(sha256(big('1e400')))
    expect(semanticDigest('x.json', big('1234567890.12345'))).toBe(
      semanticDigest('x.json', Buffer.from('{"id":1234567890.12345}'))
    )
  })

  test('a canonical form that is the same for `{}` keys nested 100,000 deep', () => {
    const levels = 100_000
    const chain = Buffer.from('{"a":'.repeat(levels) + '{}' + '}'.repeat(levels))
    expect(semanticDigest('x.connection.json', chain)).toBe(
      semanticDigest('x.connection.json', Buffer.from('{}'))
    )
    const arrays = Buffer.from(deep(levels))
    expect(semanticDigest('x.json', arrays)).toBe(
      semanticDigest('x.json', Buffer.from(deep(levels)))
    )
    expect(semanticDigest('x.json', arrays)).not.toBe(
      semanticDigest('x.json', Buffer.from(deep(levels, '1')))
    )
  })

  test('every ignored thing says why it is safe to ignore', () => {
    expect(IGNORED_IN_DIGEST.map(rule => rule.what)).toEqual([
      'the top-level `version` of a recipe',
      'keys named created_at, updated_at, last_run_at or exported_at at the top of an asset',
      'keys whose value is an empty object {} (once what is inside is normalized), at any depth',
      'the order of keys in an object, and white space'
    ])
    for (const rule of IGNORED_IN_DIGEST) expect(rule.why.length).toBeGreaterThan(20)
  })
})

describe('comparePackages: steps', () => {
  test('a step added: the steps after it, renumbered, have not moved', () => {
    const added = action('9c1d2e3f', 'logger', 'log_message', { message: 'new' })
    expect(one(recipe(steps()), recipe([request(), added, check(), done()]))).toEqual({
      ...nothing,
      steps: { ...nothing.steps, added: [{ as: '9c1d2e3f', label: 'logger log_message' }] }
    })
  })

  test('a step removed', () => {
    expect(one(recipe(steps()), recipe([request(), check()]))).toEqual({
      ...nothing,
      steps: {
        ...nothing.steps,
        removed: [{ as: '5e6f7a8b', label: 'workato_recipe_function return_result' }]
      }
    })
  })

  test('a step changed, matched by its `as`', () => {
    const after = recipe([request('https://example.test/v2'), check(), done()])
    expect(one(recipe(steps()), after)).toEqual({
      ...nothing,
      steps: { ...nothing.steps, changed: [{ as: '3f09b5b5', label: 'rest make_request_v2' }] }
    })
  })

  test('a step changed inside an if: the if itself has not', () => {
    const after = recipe([request(), check([log('bye')]), done()])
    expect(one(recipe(steps()), after)).toEqual({
      ...nothing,
      steps: { ...nothing.steps, changed: [{ as: '83c018b3', label: 'logger log_message' }] }
    })
  })

  test('an if without `as` (as Workato writes them) is matched by its uuid', () => {
    const before = recipe([request(), ifStep(undefined, [log()])])
    const after = recipe([ifStep(undefined, [log('bye')]), request()])
    expect(one(before, after)).toEqual({
      ...nothing,
      steps: {
        ...nothing.steps,
        changed: [{ as: '83c018b3', label: 'logger log_message' }],
        // of two swapped, one moved
        moved: [{ as: '', label: 'if' }]
      }
    })
  })

  test('a step with neither `as` nor uuid is matched by its place', () => {
    const bare = (message: string): J => ({
      keyword: 'action',
      provider: 'logger',
      name: 'log_message',
      input: { message }
    })
    expect(one(recipe([request(), bare('a')]), recipe([request(), bare('b')]))).toEqual({
      ...nothing,
      steps: { ...nothing.steps, changed: [{ as: '', label: 'logger log_message' }] }
    })
  })

  test('a step moved to the top, and one moved out of its if', () => {
    expect(one(recipe(steps()), recipe([done(), request(), check()]))).toEqual({
      ...nothing,
      steps: {
        ...nothing.steps,
        moved: [{ as: '5e6f7a8b', label: 'workato_recipe_function return_result' }]
      }
    })
    expect(one(recipe(steps()), recipe([request(), check([]), log(), done()]))).toEqual({
      ...nothing,
      steps: { ...nothing.steps, moved: [{ as: '83c018b3', label: 'logger log_message' }] }
    })
  })

  test('a step both moved and changed is listed as changed', () => {
    expect(one(recipe(steps()), recipe([request(), check([]), log('bye'), done()]))).toEqual({
      ...nothing,
      steps: { ...nothing.steps, changed: [{ as: '83c018b3', label: 'logger log_message' }] }
    })
  })
})

describe('comparePackages: trigger, connections, fields', () => {
  test('another trigger', () => {
    const after = recipe(steps(), {}, { provider: 'workato_webhooks', name: 'new_event' })
    expect(one(recipe(steps()), after)).toEqual({
      ...nothing,
      trigger: { before: 'clock scheduled_event', after: 'workato_webhooks new_event' }
    })
  })

  test('the same trigger with other input', () => {
    const after = recipe(steps(), {}, { input: { time_unit: 'minutes', trigger_every: '10' } })
    expect(one(recipe(steps()), after)).toEqual({ ...nothing, triggerInputChanged: true })
  })

  test('a connection added in config, and one that uses another account', () => {
    const other = { ...REST, account_id: { ...REST.account_id, name: 'CICD Demo | CON | Other' } }
    const before = recipe(steps(), { config: [CLOCK, REST] })
    const after = recipe(steps(), { config: [CLOCK, LOGGER, other] })
    expect(one(before, after)).toEqual({
      ...nothing,
      connections: {
        added: ['logger', 'rest (CICD Demo | CON | Other)'],
        removed: ['rest (CICD Demo | CON | HTTP Connection)']
      }
    })
  })

  test('name and description changed: fields, and the newer name', () => {
    const after = recipe(steps(), { name: 'Renamed', description: 'Now with notes', version: 14 })
    expect(one(recipe(steps()), after)).toEqual({
      ...nothing,
      name: 'Renamed',
      fields: ['description', 'name']
    })
  })

  test('a field added, and one removed', () => {
    const before = recipe(steps(), { concurrency: 1 })
    const after = recipe(steps(), { concurrency: undefined, folder_note: 'x' })
    expect(one(before, after)).toEqual({ ...nothing, fields: ['concurrency', 'folder_note'] })
  })
})

describe('comparePackages: packages', () => {
  const conn = (over: J = {}) =>
    json({
      name: 'CICD Demo | CON | HTTP Connection',
      provider: 'rest',
      root_folder: false,
      ...over
    })

  test('recipes added and removed; assets changed, unchanged, added, removed', () => {
    const before = new Map([
      ['Old/gone.recipe.json', json(recipe([], { name: 'Gone' }))],
      [P, json(recipe(steps()))],
      ['cicd_demo_con_http_connection.connection.json', conn()],
      ['other.connection.json', conn({ updated_at: '2024-01-01T00:00:00Z' })],
      ['account_properties.properties.json', json({ 'cicd.test.scheduler': null })],
      ['Connectors/my.custom_adapter.json', json({ name: 'Mine' })],
      ['Connectors/my.rb', Buffer.from('{ title: "Mine" }')],
      ['gone.lookup_table.json', json({ name: 'T' })]
    ])
    const after = new Map([
      [P, json(recipe(steps(), { version: 99 }))],
      ['New/fresh.recipe.json', json(recipe([], { name: 'Fresh' }))],
      ['cicd_demo_con_http_connection.connection.json', conn({ provider: 'rest_v2' })],
      ['other.connection.json', conn({ updated_at: '2025-06-01T00:00:00Z' })],
      ['account_properties.properties.json', json({ 'cicd.test.scheduler': null })],
      ['Connectors/my.custom_adapter.json', json({ name: 'Mine' })],
      ['Connectors/my.rb', Buffer.from('{ title: "Mine 2" }')],
      ['properties.project_properties.json', json({ a: '1' })]
    ])
    expect(comparePackages(before, after)).toEqual({
      recipes: [
        { path: P, name: NAME, kind: 'unchanged' },
        { path: 'New/fresh.recipe.json', name: 'Fresh', kind: 'added' },
        { path: 'Old/gone.recipe.json', name: 'Gone', kind: 'removed' }
      ],
      assets: [
        { path: 'Connectors/my.custom_adapter.json', type: 'custom_connector', kind: 'unchanged' },
        { path: 'Connectors/my.rb', type: 'custom_connector_file', kind: 'changed' },
        { path: 'account_properties.properties.json', type: 'properties', kind: 'unchanged' },
        {
          path: 'cicd_demo_con_http_connection.connection.json',
          type: 'connection',
          kind: 'changed'
        },
        { path: 'gone.lookup_table.json', type: 'lookup_table', kind: 'removed' },
        { path: 'other.connection.json', type: 'connection', kind: 'unchanged' },
        { path: 'properties.project_properties.json', type: 'properties', kind: 'added' }
      ],
      counts: { added: 2, removed: 2, changed: 2, unchanged: 4 }
    } satisfies PackageChanges)
  })

  test('a recipe that is not JSON is compared by its bytes, with no detail', () => {
    const broken = Buffer.from('{"name": "Half')
    expect(one(recipe(steps()), broken)).toEqual({ path: P, name: NAME, kind: 'changed' })
    expect(one(broken, Buffer.from('{"name": "Half'))).toEqual({
      path: P,
      name: 'cicd_demo_func_test_scheduler',
      kind: 'unchanged'
    })
    expect(one(broken, Buffer.from('not json'))).toEqual({
      path: P,
      name: 'cicd_demo_func_test_scheduler',
      kind: 'changed'
    })
    expect(one(json(['a', 'list']), json(['another']))).toEqual({
      path: P,
      name: 'cicd_demo_func_test_scheduler',
      kind: 'changed'
    })
  })

  test('a recipe over RECIPE_BYTES is compared by its digest only', () => {
    const big = (tail: string) =>
      json(recipe(steps(), { description: 'x'.repeat(RECIPE_BYTES) + tail }))
    expect(one(big('a'), big('b'))).toEqual({
      path: P,
      name: 'cicd_demo_func_test_scheduler',
      kind: 'changed'
    })
  })

  test('nesting 100,000 deep, in input and in steps: no throw, and the change is found', () => {
    const levels = 100_000
    const inInput = (inner: string) =>
      Buffer.from(
        `{"name":"Deep","code":{"keyword":"trigger","provider":"clock","name":"scheduled_event",` +
          `"as":"aa","input":{"x":${deep(levels, inner)}},"block":[]}}`
      )
    expect(one(inInput(''), inInput('1'))).toEqual({
      ...nothing,
      name: 'Deep',
      triggerInputChanged: true
    })
    expect(one(inInput('1'), inInput('1'))).toEqual({ path: P, name: 'Deep', kind: 'unchanged' })

    // steps without ids nested through `block`: the walk stops at MAX_STEP_DEPTH, and the step
    // there holds all that lies under it
    const inSteps = (inner: string) =>
      Buffer.from(
        '{"name":"Deep","code":{"keyword":"trigger","provider":"clock","name":"scheduled_event","block":[' +
          '{"keyword":"if","block":['.repeat(levels) +
          inner +
          ']}'.repeat(levels) +
          ']}}'
      )
    const changed = one(inSteps(''), inSteps('{"keyword":"action","provider":"logger"}'))
    expect(changed).toEqual({
      ...nothing,
      name: 'Deep',
      steps: { ...nothing.steps, changed: [{ as: '', label: 'if' }] }
    })
    expect(MAX_STEP_DEPTH).toBe(64)
    expect(renderChanges(comparePackages(new Map(), new Map([[P, inSteps('')]])))).toContain(
      '**Added** Deep'
    )
  })
})

describe('renderChanges', () => {
  const before = new Map([
    [P, json(recipe(steps(), { config: [CLOCK, LOGGER] }))],
    ['quiet.recipe.json', json(recipe([], { name: 'Quiet one' }))],
    ['Old/gone.recipe.json', json(recipe([], { name: 'Gone' }))],
    ['broken.recipe.json', Buffer.from('{')],
    ['c.connection.json', json({ name: 'C', provider: 'rest' })],
    ['p.properties.json', json({ a: null })]
  ])
  const after = new Map([
    [
      P,
      json(
        recipe(
          [
            done(),
            request('https://example.test/v2'),
            action('9c1d2e3f', 'logger', 'log_message', { message: 'new' }),
            check()
          ],
          { name: 'CICD Demo | FUNC | Test_Scheduler', version: 13 },
          { input: { time_unit: 'hours' } }
        )
      )
    ],
    ['quiet.recipe.json', json(recipe([], { name: 'Quiet one', version: 3 }))],
    ['New/fresh.recipe.json', json(recipe([], { name: 'Fresh <b>new</b>' }))],
    ['broken.recipe.json', Buffer.from('{{')],
    ['c.connection.json', json({ name: 'C', provider: 'rest_v2' })],
    ['p.properties.json', json({ a: null })]
  ])

  test('the counts, then each recipe with what changed in it, then the assets', () => {
    expect(renderChanges(comparePackages(before, after), { title: 'Changes in 5.10.0' })).toBe(
      [
        '### Changes in 5.10.0',
        '',
        '**Recipes:** 2 changed, 1 added, 1 removed, 1 unchanged · **Other assets:** 1 changed, 0 added, 0 removed, 1 unchanged',
        '',
        '#### Recipes',
        '',
        '- **Changed** CICD Demo \\| FUNC \\| Test\\_Scheduler (Integrations/cicd\\_demo\\_func\\_test\\_scheduler.recipe.json)',
        '  - Trigger input changed',
        '  - Steps added: `9c1d2e3f` logger log\\_message',
        '  - Steps changed: `3f09b5b5` rest make\\_request\\_v2',
        '  - Steps moved: `5e6f7a8b` workato\\_recipe\\_function return\\_result',
        '  - Connections added: rest (CICD Demo \\| CON \\| HTTP Connection)',
        '  - Fields changed: name',
        '- **Added** Fresh &lt;b&gt;new&lt;/b&gt; (New/fresh.recipe.json)',
        '- **Removed** Gone (Old/gone.recipe.json)',
        '- **Changed** broken (broken.recipe.json)',
        '  - Not readable as a recipe (not JSON, or over 8 MiB): compared by content only',
        '',
        '#### Other assets',
        '',
        '- **Changed** c.connection.json (connection)',
        ''
      ].join('\n')
    )
  })

  test('unchanged recipes are only counted', () => {
    const quiet = new Map([['quiet.recipe.json', json(recipe([], { name: 'Quiet one' }))]])
    expect(renderChanges(comparePackages(quiet, quiet))).toBe(
      [
        '### Changes',
        '',
        '**Recipes:** 0 changed, 0 added, 0 removed, 1 unchanged · **Other assets:** 0 changed, 0 added, 0 removed, 0 unchanged',
        '',
        'Nothing changed.',
        ''
      ].join('\n')
    )
  })

  test('a hostile recipe name, step label and `as` are one escaped line', () => {
    const evil = action('x` <b>', '<script>|', 'run_[it]*', {})
    const changes = comparePackages(
      new Map([[P, json(recipe([]))]]),
      new Map([
        [
          'evil.recipe.json',
          json(recipe([], { name: '| <img src=x> [a](http://e) \n second line' }))
        ],
        [P, json(recipe([evil, action('ab_12', 'y'.repeat(300), 'z')]))]
      ])
    )
    expect(renderChanges(changes).split('\n').slice(4)).toEqual([
      '#### Recipes',
      '',
      '- **Changed** CICD Demo \\| FUNC \\| Test Scheduler (Integrations/cicd\\_demo\\_func\\_test\\_scheduler.recipe.json)',
      `  - Steps added: &lt;script&gt;\\| run\\_\\[it\\]\\*, \`ab_12\` ${'y'.repeat(97)}...`,
      '- **Added** \\| &lt;img src=x&gt; \\[a\\](http\\://e) second line (evil.recipe.json)',
      ''
    ])
  })

  test('at most 200 steps a recipe, then how many more', () => {
    const many = Array.from({ length: 250 }, (_, i) => action(`s${i}`, 'logger', 'log_message'))
    const changes = comparePackages(
      new Map([[P, json(recipe([]))]]),
      new Map([[P, json(recipe(many))]])
    )
    const lines = renderChanges(changes).split('\n')
    const listed = Array.from({ length: 200 }, (_, i) => `\`s${i}\` logger log\\_message`)
    expect(lines.slice(7)).toEqual([
      `  - Steps added: ${listed.join(', ')}`,
      '  - … and 50 more steps',
      ''
    ])
  })

  test('maxChars: whole lines, and the rest counted in a last line', () => {
    const recipes = new Map(
      Array.from({ length: 300 }, (_, i) => [
        `r${String(i).padStart(3, '0')}.recipe.json`,
        json(recipe([], { name: `Recipe ${i}` }))
      ])
    )
    const markdown = renderChanges(comparePackages(new Map(), recipes), { maxChars: 2000 })
    expect(markdown.length).toBeLessThanOrEqual(2000)
    const lines = markdown.split('\n')
    const bullets = lines.filter(line => line.startsWith('- '))
    expect(bullets).toEqual(
      bullets.map((_, i) => `- **Added** Recipe ${i} (r${String(i).padStart(3, '0')}.recipe.json)`)
    )
    expect(bullets).toHaveLength(44)
    expect(lines.slice(-3)).toEqual(['', '… and 256 more changes', ''])
    // nothing more would have fitted
    const next = `- **Added** Recipe ${bullets.length} (r${String(bullets.length).padStart(3, '0')}.recipe.json)\n`
    expect(markdown.length + next.length).toBeGreaterThan(2000)
    // a max too small for the counts: whole lines still, from the top
    expect(renderChanges(comparePackages(new Map(), recipes), { maxChars: 30 })).toBe(
      '### Changes\n'
    )
    const all = renderChanges(comparePackages(new Map(), recipes))
    expect(all).not.toContain('more changes')
    expect(all.split('\n').filter(line => line.startsWith('- '))).toHaveLength(300)
  })
})
