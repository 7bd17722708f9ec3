/**
 * The simulator's production knobs: quotas, latency, realistic list answers. The action's tests
 * lean on them to reproduce what production does, so each must really do what it says.
 */
import * as http from 'node:http'
import { afterEach, describe, expect, test } from '@jest/globals'
import {
  bigTarget,
  FOLDER_ID,
  MANIFEST_ID,
  realLinkTarget,
  RUNNING_FOLDER_ID,
  SOURCE_TOKEN,
  TARGET_TOKEN,
  twoWorkspaces
} from '../../sim/scenario.js'
import {
  collectionOf,
  WORKATO_QUOTAS,
  type SimClock,
  type SimulatorOptions,
  type Workspace,
  type WorkatoSimulator
} from '../../sim/workato.js'
import { packageUsing, readZip, samplePackage } from '../../sim/zip.js'
import { first, item, parseJson, present, record, records, text } from '../checked.js'

const running: WorkatoSimulator[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map(sim => sim.stop()))
})

async function started(
  extra: Partial<SimulatorOptions> = {},
  edit: (prod: Workspace, dev: Workspace) => void = () => undefined
): Promise<WorkatoSimulator> {
  const sim = twoWorkspaces(extra)
  edit(sim.workspace('prod'), sim.workspace('dev'))
  running.push(await sim.start())
  return sim
}

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  /** The body parsed as JSON (undefined when it is not JSON), its shape checked where read. */
  body: unknown
}

/** The objects of a JSON list answer: the array itself, or its `items` (the recipe lists). */
const rowsOf = (a: Answer) => records(a.body, 'the answer')
const itemsOf = (a: Answer) => records(record(a.body, 'the answer').items, 'items')

/** node:http without keep-alive: a pooled socket would outlive the test and hold Jest open. */
function call(
  url: string,
  options: { token?: string; method?: string; body?: Buffer } = {}
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: {
          Authorization: `Bearer ${options.token ?? TARGET_TOKEN}`,
          ...(options.body
            ? { 'Content-Type': 'application/octet-stream', 'Content-Length': options.body.length }
            : {})
        }
      },
      res => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let body: unknown
          try {
            body = parseJson(text)
          } catch {
            body = undefined
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body })
        })
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The simulator's time for quota windows, moved only by hand: a window passes when the test says. */
function manualClock(): SimClock & { advance(ms: number): void } {
  let now = 0
  return {
    now: () => now,
    sleep: ms => {
      now += ms
      return Promise.resolve()
    },
    advance: ms => {
      now += ms
    }
  }
}

const importInto = (sim: WorkatoSimulator, folder: string, query = '', body = samplePackage()) =>
  call(`${sim.apiUrl}/api/packages/import/${folder}${query}`, { method: 'POST', body })

describe('quotas', () => {
  test('the collections: every route but storage counts against one', () => {
    expect(collectionOf('export')).toBe('rlm')
    expect(collectionOf('status')).toBe('rlm')
    expect(collectionOf('download')).toBe('rlm')
    expect(collectionOf('manifest')).toBe('rlm')
    expect(collectionOf('import')).toBe('import')
    expect(collectionOf('start')).toBe('recipes')
    expect(collectionOf('stop')).toBe('recipes')
    expect(collectionOf('recipes')).toBe('recipes')
    expect(collectionOf('connections')).toBe('connections')
    expect(collectionOf('me')).toBe('workspace')
    expect(collectionOf('folder')).toBe('folders')
    expect(collectionOf('folders')).toBe('folders')
    expect(collectionOf('createManifest')).toBe('rlm')
    expect(collectionOf('deleteManifest')).toBe('rlm')
    expect(collectionOf('folderAssets')).toBe('rlm')
    expect(collectionOf('testCases')).toBe('tests')
    expect(collectionOf('runTests')).toBe('tests')
    expect(collectionOf('testRun')).toBe('tests')
    expect(collectionOf('storage')).toBeUndefined()
    expect(WORKATO_QUOTAS).toEqual({
      rlm: 60,
      recipes: 60,
      connections: 60,
      workspace: 60,
      folders: 60,
      tests: 60
    })
  })

  test('429 past the limit within the window, free again once the window has passed', async () => {
    const clock = manualClock()
    const sim = await started({ quotas: { perWindow: { workspace: 2 }, windowMs: 300 }, clock })
    const me = () => call(`${sim.apiUrl}/api/users/me`)
    expect((await me()).status).toBe(200)
    expect((await me()).status).toBe(200)
    const refused = await me()
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual({ message: 'Too many requests. Please retry later.' })
    expect(refused.headers['retry-after']).toBeUndefined()
    expect(sim.rateLimited).toEqual([
      { collection: 'workspace', route: 'me', at: expect.any(Number) }
    ])
    // a collection not named in perWindow is not limited
    for (let i = 0; i < 4; i++) {
      expect((await call(`${sim.apiUrl}/api/folders/${FOLDER_ID}`)).status).toBe(200)
    }
    clock.advance(350)
    expect((await me()).status).toBe(200)
    expect(sim.callsBy('workspace')).toBe(4)
    expect(sim.callsBy('folders')).toBe(4)
    expect(sim.callsBy()).toBe(8)
  })

  test('Retry-After only with the knob: whole seconds until the oldest request leaves', async () => {
    const sim = await started({
      quotas: { perWindow: { rlm: 1 }, windowMs: 2500, retryAfter: true },
      clock: manualClock()
    })
    const manifest = await call(`${sim.apiUrl}/api/export_manifests/${MANIFEST_ID}`, {
      token: SOURCE_TOKEN
    })
    expect(manifest.status).toBe(200)
    const exported = await call(`${sim.apiUrl}/api/packages/export/${MANIFEST_ID}`, {
      token: SOURCE_TOKEN,
      method: 'POST'
    })
    expect(exported.status).toBe(429)
    expect(exported.headers['retry-after']).toBe('3')
    // refused before anything happened: no package was made
    expect(sim.exportPosts).toEqual([])
  })

  test('countRefused: a caller that keeps asking keeps its window full', async () => {
    const quotas = { perWindow: { workspace: 1 }, windowMs: 1000 }
    const clock = manualClock()
    const [plain, counting] = await Promise.all([
      started({ quotas, clock }),
      started({ quotas: { ...quotas, countRefused: true }, clock })
    ])
    const me = (sim: WorkatoSimulator) => call(`${sim.apiUrl}/api/users/me`).then(a => a.status)
    expect([await me(plain), await me(counting)]).toEqual([200, 200])
    clock.advance(500)
    expect([await me(plain), await me(counting)]).toEqual([429, 429])
    clock.advance(700)
    // the first request has left the window; only the counted refusal still fills it
    expect([await me(plain), await me(counting)]).toEqual([200, 429])
  })

  test('a blocked collection never frees; a 429 starts nothing', async () => {
    const clock = manualClock()
    const sim = await started(
      { quotas: { perWindow: {}, blocked: ['recipes'], retryAfter: true }, clock },
      prod => {
        prod.recipes = [{ id: 501, name: 'Sync', folderId: FOLDER_ID, running: false }]
      }
    )
    const list = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}`)
    expect(list.status).toBe(429)
    expect(list.headers['retry-after']).toBe('60')
    const start = await call(`${sim.apiUrl}/api/recipes/501/start`, { method: 'PUT' })
    expect(start.status).toBe(429)
    expect(sim.workspace('prod').recipes?.[0]?.running).toBe(false)
    // an hour later: still refused
    clock.advance(3_600_000)
    expect((await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}`)).status).toBe(429)
    expect((await call(`${sim.apiUrl}/api/users/me`)).status).toBe(200)
    expect(sim.rateLimited.map(r => [r.collection, r.route])).toEqual([
      ['recipes', 'recipes'],
      ['recipes', 'start'],
      ['recipes', 'recipes']
    ])
  })

  test('counted per token: the source and the target each have their own quota', async () => {
    const sim = await started({ quotas: { perWindow: { folders: 1 } } })
    const folder = (token: string, id: string) =>
      call(`${sim.apiUrl}/api/folders/${id}`, { token }).then(a => a.status)
    expect(await folder(SOURCE_TOKEN, '7')).toBe(200)
    expect(await folder(TARGET_TOKEN, FOLDER_ID)).toBe(200)
    expect(await folder(SOURCE_TOKEN, '7')).toBe(429)
    expect(await folder(TARGET_TOKEN, FOLDER_ID)).toBe(429)
    // an unknown token is told so, not rate-limited
    expect(await folder('wrkprod-nobody', FOLDER_ID)).toBe(401)
    expect(sim.callsBy('folders', SOURCE_TOKEN)).toBe(2)
    expect(sim.callsBy('folders', TARGET_TOKEN)).toBe(2)
    expect(sim.callsBy('folders', 'wrkprod-nobody')).toBe(1)
    expect(sim.callsBy('folders')).toBe(5)
    expect(sim.callsBy('workspace')).toBe(0)
    expect(sim.rateLimited).toHaveLength(2)
  })

  test('imports have their own window; a refused upload is drained and answered', async () => {
    const clock = manualClock()
    const sim = await started({
      quotas: { perWindow: {}, importPerWindow: 2, importWindowMs: 400 },
      clock
    })
    sim.importScript = { ...sim.importScript, completeOnPost: true }
    // other collections are not limited by the import quota
    for (let i = 0; i < 3; i++) expect((await call(`${sim.apiUrl}/api/users/me`)).status).toBe(200)
    expect((await importInto(sim, FOLDER_ID)).status).toBe(200)
    expect((await importInto(sim, FOLDER_ID)).status).toBe(200)
    const big = Buffer.concat([samplePackage(), Buffer.alloc(4 << 20)])
    const refused = await importInto(sim, FOLDER_ID, '', big)
    expect(refused.status).toBe(429)
    expect(record(refused.body).message).toBe('Too many requests. Please retry later.')
    expect(sim.importPosts).toHaveLength(2)
    expect(sim.imports).toHaveLength(2)
    expect(sim.rateLimited.map(r => r.route)).toEqual(['import'])
    clock.advance(450)
    expect((await importInto(sim, FOLDER_ID)).status).toBe(200)
    expect(sim.callsBy('import', TARGET_TOKEN)).toBe(4)
  })
})

describe('latency', () => {
  test('each answer on both hosts waits latencyMs; settable while running', async () => {
    // real time, each wait the simulator makes counted
    const waits: number[] = []
    const clock: SimClock = {
      now: () => Date.now(),
      sleep: ms => {
        waits.push(ms)
        return new Promise(resolve => setTimeout(resolve, ms))
      }
    }
    const sim = await started({ latencyMs: 400, clock })
    const timed = async (run: () => Promise<Answer>) => {
      const at = performance.now()
      const answer = await run()
      return { status: answer.status, ms: performance.now() - at }
    }
    const api = await timed(() => call(`${sim.apiUrl}/api/users/me`))
    expect(api.status).toBe(200)
    expect(api.ms).toBeGreaterThanOrEqual(395)
    const storage = await timed(() => call(`${sim.storageUrl}/packages/1/package.zip`))
    expect(storage.status).toBe(403)
    expect(storage.ms).toBeGreaterThanOrEqual(395)
    const zip = samplePackage(['A', 'B'])
    const imported = await timed(() => importInto(sim, FOLDER_ID, '', zip))
    expect(imported.status).toBe(200)
    expect(imported.ms).toBeGreaterThanOrEqual(395)
    // the body waited in the socket and was read whole afterwards
    expect(first(sim.imports, 'import').size).toBe(zip.length)
    sim.latencyMs = 0
    await call(`${sim.apiUrl}/api/users/me`)
    // counted, not timed (a loaded machine can be slow without any wait): the three answers
    // above waited 400 ms each, this one none
    expect(waits).toEqual([400, 400, 400])
  })
})

describe('recipe lists as Workato returns them', () => {
  const config = [
    { keyword: 'application', provider: 'salesforce', skip_validation: false, account_id: 7 }
  ]

  test('each item has the spec’s fields and its code as a JSON string, unless exclude_code', async () => {
    const sim = await started({ recipeCodeBytes: 5000 }, prod => {
      prod.recipes = [
        { id: 501, name: 'Sync', folderId: FOLDER_ID, running: true, config },
        { id: 502, name: 'Notify', folderId: FOLDER_ID, running: false }
      ]
    })
    const list = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}`)
    const listed = itemsOf(list)
    expect(listed.map(r => r.id)).toEqual([502, 501])
    const [notify, sync] = [item(listed, 0, 'recipe'), item(listed, 1, 'recipe')]
    for (const field of [
      'id',
      'user_id',
      'name',
      'created_at',
      'updated_at',
      'copy_count',
      'trigger_application',
      'action_applications',
      'applications',
      'description',
      'parameters_schema',
      'parameters',
      'webhook_url',
      'folder_id',
      'running',
      'job_succeeded_count',
      'job_failed_count',
      'lifetime_task_count',
      'last_run_at',
      'stopped_at',
      'version_no',
      'stop_cause',
      'config',
      'code'
    ]) {
      expect({ field, has: field in sync }).toEqual({ field, has: true })
    }
    expect(sync).toMatchObject({ folder_id: Number(FOLDER_ID), running: true, config })
    expect(sync.applications).toContain('salesforce')
    expect(notify.config).toEqual([])
    expect(typeof sync.code).toBe('string')
    const code = text(sync.code, 'code')
    expect(Buffer.byteLength(code)).toBe(5000)
    expect(parseJson(code)).toMatchObject({ keyword: 'trigger' })
    const lean = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}&exclude_code=true`)
    expect(itemsOf(lean)).toHaveLength(2)
    expect('code' in item(itemsOf(lean), 1, 'recipe')).toBe(false)
    expect(item(itemsOf(lean), 1, 'recipe').config).toEqual(config)
  })

  test('a full page of production recipes is megabytes; exclude_code keeps it small', async () => {
    const sim = await started({}, prod => {
      Object.assign(prod, bigTarget({ folders: 0, recipes: 120, topRecipes: 120, rootId: '34' }))
    })
    const full = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}&page=1&per_page=100`)
    expect(itemsOf(full)).toHaveLength(100)
    expect(full.text.length).toBeGreaterThan(3_000_000)
    const lean = await call(
      `${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}&page=1&per_page=100&exclude_code=true`
    )
    expect(itemsOf(lean)).toHaveLength(100)
    expect(lean.text.length).toBeLessThan(1 << 20)
    const rest = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}&page=2&per_page=100`)
    expect(itemsOf(rest)).toHaveLength(20)
  })
})

describe('folder lists', () => {
  const tree = (prod: Workspace) => {
    prod.subfolders = [
      { id: '41', name: 'A', parentId: FOLDER_ID },
      { id: '42', name: 'A/B', parentId: '41' },
      { id: '43', name: 'A/B/C', parentId: '42' },
      { id: '44', name: 'D', parentId: FOLDER_ID },
      { id: '45', name: 'Elsewhere', parentId: '99' }
    ]
  }
  const rows = (a: Answer) => rowsOf(a).map(f => [f.id, f.parent_id])

  test('children (default): the direct children only, with the spec’s row fields', async () => {
    const sim = await started({}, tree)
    const list = await call(`${sim.apiUrl}/api/folders?parent_id=${FOLDER_ID}`)
    expect(rows(list)).toEqual([
      [41, 34],
      [44, 34]
    ])
    expect(first(rowsOf(list), 'folder')).toMatchObject({
      project_id: null,
      created_at: expect.any(String),
      updated_at: expect.any(String)
    })
  })

  test('nested: every descendant with its own parent, paged', async () => {
    const sim = await started({}, prod => {
      tree(prod)
      prod.folderListing = 'nested'
    })
    const list = await call(`${sim.apiUrl}/api/folders?parent_id=${FOLDER_ID}`)
    expect(rows(list)).toEqual([
      [41, 34],
      [42, 41],
      [43, 42],
      [44, 34]
    ])
    const second = await call(`${sim.apiUrl}/api/folders?parent_id=${FOLDER_ID}&page=2&per_page=3`)
    expect(rows(second)).toEqual([[44, 34]])
  })
})

describe('connection lists', () => {
  const three = (prod: Workspace) => {
    prod.connections = [1, 2, 3].map(id => ({
      id,
      application: 'salesforce',
      name: `CRM ${id}`,
      folderId: FOLDER_ID,
      authorizationStatus: id === 3 ? 'failed' : 'success'
    }))
  }
  const ids = (a: Answer) => rowsOf(a).map(c => c.id)

  test('ignored (default): every connection whatever page and per_page say', async () => {
    const sim = await started({}, three)
    const first = await call(`${sim.apiUrl}/api/connections?folder_id=${FOLDER_ID}&per_page=2`)
    expect(ids(first)).toEqual([1, 2, 3])
    const second = await call(
      `${sim.apiUrl}/api/connections?folder_id=${FOLDER_ID}&page=2&per_page=2`
    )
    expect(ids(second)).toEqual([1, 2, 3])
    expect(item(rowsOf(first), 0, 'connection')).toMatchObject({
      provider: 'salesforce',
      parent_id: null,
      authorized_at: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String)
    })
    expect(item(rowsOf(first), 2, 'connection').authorized_at).toBeNull()
  })

  test('honoured: paged like the other lists', async () => {
    const sim = await started({}, prod => {
      three(prod)
      prod.connectionsPaging = 'honoured'
    })
    const url = `${sim.apiUrl}/api/connections?folder_id=${FOLDER_ID}&per_page=2`
    expect(ids(await call(`${url}&page=1`))).toEqual([1, 2])
    expect(ids(await call(`${url}&page=2`))).toEqual([3])
  })
})

describe('starts', () => {
  test('acknowledged only: success, but the recipe stays stopped with a stop cause', async () => {
    const sim = await started({}, prod => {
      prod.recipes = [
        { id: 501, name: 'Flaky trigger', folderId: FOLDER_ID, running: false },
        { id: 502, name: 'Fine', folderId: FOLDER_ID, running: false },
        { id: 503, name: 'Unconnected', folderId: FOLDER_ID, running: false }
      ]
      prod.startAcknowledgedOnly = ['501']
      prod.refuseStart = { '503': { errors: { base: ['Recipe has unconfigured connections'] } } }
    })
    const start = (id: number) => call(`${sim.apiUrl}/api/recipes/${id}/start`, { method: 'PUT' })
    const acknowledged = await start(501)
    expect([acknowledged.status, acknowledged.body]).toEqual([200, { success: true }])
    expect((await start(502)).body).toEqual({ success: true })
    expect((await start(503)).body).toEqual({
      success: false,
      errors: { base: ['Recipe has unconfigured connections'] }
    })
    const list = await call(`${sim.apiUrl}/api/recipes?folder_id=${FOLDER_ID}&exclude_code=true`)
    // keyed by the id's text, as an object's keys are
    const state = Object.fromEntries(
      itemsOf(list).map(r => [String(r.id), [r.running, r.stop_cause]])
    )
    expect(state).toEqual({
      501: [false, 'trigger_error'],
      502: [true, null],
      503: [false, null]
    })
  })
})

describe('validation errors', () => {
  test('with the knob: 400 ValidationError, the reason only per field', async () => {
    const sim = await started({ validationErrors: true })
    const runningFolder = await importInto(sim, RUNNING_FOLDER_ID)
    expect(runningFolder.status).toBe(400)
    expect(runningFolder.body).toEqual({
      message: 'Validation failed',
      errors: {
        restart_recipes: [
          'Package contains running recipes. Set restart_recipes to true to allow restarting them.'
        ]
      }
    })
    const missing = await importInto(sim, '999')
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({
      message: 'Validation failed',
      errors: { folder_id: ['is invalid'] }
    })
    expect((await importInto(sim, RUNNING_FOLDER_ID, '?restart_recipes=true')).status).toBe(200)
  })

  test('without it: the plain messages and the 404, as before', async () => {
    const sim = await started()
    const runningFolder = await importInto(sim, RUNNING_FOLDER_ID)
    expect(runningFolder.status).toBe(400)
    expect(record(runningFolder.body).errors).toBeUndefined()
    expect(record(runningFolder.body).message).toContain('restart_recipes')
    expect((await importInto(sim, '999')).status).toBe(404)
  })
})

describe('workspace builders', () => {
  test('bigTarget: a deterministic tree, all recipes running, the root first', async () => {
    const target = bigTarget({ folders: 9, recipes: 40, topRecipes: 4, rootId: FOLDER_ID })
    expect(bigTarget({ folders: 9, recipes: 40, topRecipes: 4, rootId: FOLDER_ID })).toEqual(target)
    const subfolders = target.subfolders ?? []
    const recipes = target.recipes ?? []
    expect(subfolders).toHaveLength(9)
    expect(target.folders).toEqual([FOLDER_ID, ...subfolders.map(f => f.id)])
    const ids = new Set(subfolders.map(f => f.id))
    const nested = subfolders.filter(f => ids.has(f.parentId))
    expect(nested.length).toBeGreaterThan(0)
    // two levels deep at most: a nested folder's parent hangs off the root
    for (const f of nested) {
      expect(subfolders.find(p => p.id === f.parentId)?.parentId).toBe(FOLDER_ID)
    }
    expect(recipes).toHaveLength(40)
    expect(new Set(recipes.map(r => r.id)).size).toBe(40)
    expect(recipes.every(r => r.running)).toBe(true)
    expect(recipes.filter(r => r.folderId === FOLDER_ID)).toHaveLength(4)
    for (const f of subfolders) expect(recipes.some(r => r.folderId === f.id)).toBe(true)
    expect(first(recipes, 'recipe').config).toEqual([
      { keyword: 'application', provider: 'salesforce', account_id: null }
    ])

    const sim = await started({}, prod => Object.assign(prod, target))
    const deep = first(nested, 'nested folder')
    expect((await call(`${sim.apiUrl}/api/folders/${deep.id}`)).status).toBe(200)
    const children = await call(`${sim.apiUrl}/api/folders?parent_id=${deep.parentId}`)
    expect(rowsOf(children).map(f => String(f.id))).toContain(deep.id)
  })

  test('realLinkTarget: 7 folders, 48 running recipes', () => {
    const target = realLinkTarget({ rootId: FOLDER_ID })
    expect(target.subfolders).toHaveLength(7)
    expect(target.recipes).toHaveLength(48)
    expect(target.recipes?.every(r => r.running)).toBe(true)
  })
})

describe('packages with custom connectors', () => {
  test('a custom app: account_id says so, and the connector is in the package', () => {
    const zip = packageUsing([
      {
        name: 'Uses SDK',
        apps: [
          {
            provider: 'cicd_for_workato_connector_643443_1652105687',
            account: { name: 'My SDK', folder: '' },
            custom: true
          },
          { provider: 'salesforce', account: { name: 'CRM', folder: '' } }
        ]
      }
    ])
    const entries = new Map(readZip(zip).map(e => [e.name, e.content]))
    const recipe = record(
      parseJson(present(entries.get('Integrations/recipe_0.recipe.json'), 'the recipe').toString())
    )
    const config = records(recipe.config, 'config')
    expect(item(config, 0, 'config row').account_id).toEqual({
      zip_name: 'my_sdk.connection.json',
      name: 'My SDK',
      folder: '',
      custom: true
    })
    expect('custom' in record(item(config, 1, 'config row').account_id)).toBe(false)
    const adapter = entries.get('cicd_for_workato_connector_643443_1652105687.custom_adapter.json')
    expect(parseJson(present(adapter, 'the custom adapter').toString())).toMatchObject({
      name: 'cicd_for_workato_connector_643443_1652105687',
      title: expect.any(String)
    })
    expect(entries.has('cicd_for_workato_connector_643443_1652105687.custom_adapter.rb')).toBe(true)
    expect([...entries.keys()].filter(n => n.includes('salesforce'))).toEqual([])
  })
})
