/**
 * package-dir: a release unpacked into the repository file by file, and imported or planned
 * from there, zipped deterministically; the change a reviewer reads; drift.
 */
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { beforeEach, describe, expect, jest, test } from '@jest/globals'
import { FOLDER_ID, MANIFEST_ID } from '../../sim/scenario.js'
import { makeZip, readZip, recipe, release, type ZipEntry } from '../../sim/zip.js'
import { outcomeOf } from '../../src/workato/record.js'
import { useInProcess } from './in-process.js'

const world = useInProcess()
let workspace = ''
let dir = ''
beforeEach(async () => {
  workspace = path.join(world.temp, 'repo')
  dir = path.join(workspace, 'workato', 'release')
  await fs.mkdir(workspace, { recursive: true })
  process.env.GITHUB_WORKSPACE = workspace
  // the simulator's jobs take a status check or two: a faster clock makes those waits short
  process.env.WORKATO_PROMOTE_CLOCK_SCALE = '0.1'
})

const setRelease = (zip: Buffer) => {
  world.sim.workspace('dev').manifests[MANIFEST_ID] = zip
}

const unpack = (inputs: Record<string, string> = {}) =>
  world.run({ mode: 'unpack', 'package-dir': 'workato/release', ...inputs })

async function treeFiles(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) await walk(name)
      else out[name] = await fs.readFile(path.join(dir, name), 'utf8')
    }
  }
  await walk('')
  return out
}

describe('mode unpack', () => {
  test('writes every file byte for byte, and an index naming the package', async () => {
    const zip = release()
    setRelease(zip)
    const record = await unpack()
    expect(outcomeOf(record)).toBe('succeeded')
    const files = await treeFiles()
    const expected = Object.fromEntries(
      readZip(zip)
        .filter(e => !e.name.endsWith('/'))
        .map(e => [e.name, e.content.toString('utf8')])
    )
    const { '.workato-package.json': indexText, ...released } = files
    expect(released).toEqual(expected)
    const index = JSON.parse(indexText ?? '{}') as {
      package: { sha256: string; exported: string }
      folders: string[]
      assets: Array<{ path: string; name: string }>
    }
    expect(index.package).toMatchObject({ sha256: record.package?.sha256, exported: 'manifest 12' })
    expect(index.folders).toEqual(['Functions/'])
    expect(index.assets.map(a => [a.path, a.name])).toEqual([
      ['Functions/nightly.recipe.json', 'Nightly export'],
      ['Functions/notify.recipe.json', 'Notify'],
      ['account_properties.properties.json', 'account_properties'],
      ['sync.recipe.json', 'Sync accounts']
    ])
    expect(record.tree?.unpacked).toEqual({
      written: Object.keys(expected).sort((a, b) => (a < b ? -1 : 1)),
      removed: [],
      unchanged: 0
    })
  })

  test('the next release replaces the tree: a dropped file is removed, a changed recipe summarized by step', async () => {
    setRelease(release())
    await unpack()
    setRelease(release({ version: 2, extraStep: true, withNightly: false }))
    const record = await unpack()
    const files = await treeFiles()
    expect(Object.keys(files).sort()).toEqual([
      '.workato-package.json',
      'Functions/notify.recipe.json',
      'account_properties.properties.json',
      'sync.recipe.json'
    ])
    expect(record.tree?.unpacked).toEqual({
      written: ['sync.recipe.json'],
      removed: ['Functions/nightly.recipe.json'],
      unchanged: 2
    })
    expect(record.changes?.counts).toMatchObject({ changed: 1, removed: 1 })
    expect(record.changes?.markdown).toContain('Sync accounts')
    expect(record.changes?.markdown).toContain('Steps added: `c2c2c2c2` logger log\\_error')
    expect(record.changes?.markdown).toContain('Nightly export')
  })

  test('the same release exported again (only its zip timestamps differ) writes nothing', async () => {
    setRelease(release())
    await unpack()
    const before = await treeFiles()
    setRelease(makeZip(readZip(release()), new Date(Date.UTC(2027, 5, 5))))
    const record = await unpack()
    expect(record.tree?.unpacked?.written).toEqual([])
    expect(await treeFiles()).toEqual(before)
  })

  test('a version bump alone is a written file but no change of the recipe', async () => {
    setRelease(release())
    await unpack()
    setRelease(release({ version: 7 }))
    const record = await unpack()
    expect(record.tree?.unpacked?.written).toEqual(['sync.recipe.json'])
    expect(record.changes?.counts).toMatchObject({ changed: 0, added: 0, removed: 0 })
  })

  test('a release entry that is not a package file is refused, nothing written', async () => {
    setRelease(
      makeZip([
        { name: 'notes.txt', content: 'x' },
        { name: 'a.recipe.json', content: '{}' }
      ])
    )
    await expect(unpack()).rejects.toThrow(
      'The package cannot be unpacked into package-dir: it has "notes.txt", which is not a file type this action keeps. Nothing was written.'
    )
    await expect(fs.stat(dir)).rejects.toThrow()
  })
})

describe('import and plan from package-dir', () => {
  beforeEach(() => {
    world.sim.reimportChecks = { folderEntries: true, exportedNames: true }
  })

  test('the same tree zips to the same sha256 in two runs; the bytes imported are the zip', async () => {
    setRelease(release())
    await unpack()
    const first = await world.run({
      mode: 'import',
      'package-dir': 'workato/release',
      'manifest-id': ''
    })
    expect(outcomeOf(first)).toBe('succeeded')
    const second = await world.run({
      mode: 'import',
      'package-dir': 'workato/release',
      'manifest-id': ''
    })
    expect(outcomeOf(second)).toBe('succeeded')
    expect(second.package?.sha256).toBe(first.package?.sha256)
    const sent = world.sim.imports.map(i => i.sha256)
    expect(sent).toEqual([first.package?.sha256, first.package?.sha256])
    // the simulator's reading of Workato: the export's very names, with its folder entries
    const names = readZip(world.sim.imports[0]?.bytes ?? Buffer.alloc(0)).map(e => e.name)
    expect(names).toEqual([
      'Functions/',
      'Functions/nightly.recipe.json',
      'Functions/notify.recipe.json',
      'account_properties.properties.json',
      'sync.recipe.json'
    ])
  })

  test('files checked out with CRLF line endings (git on Windows) are named, with the fix', async () => {
    setRelease(release())
    await unpack()
    const file = path.join(dir, 'sync.recipe.json')
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/\n/g, '\r\n'))
    const log = jest.spyOn(process.stdout, 'write')
    log.mockClear()
    const record = await world.run({
      mode: 'import',
      'package-dir': 'workato/release',
      'manifest-id': ''
    })
    expect(outcomeOf(record)).toBe('succeeded')
    expect(record.tree?.edited).toEqual(['sync.recipe.json'])
    const warnings = log.mock.calls.map(c => String(c[0])).filter(l => l.startsWith('::warning::'))
    expect(warnings).toEqual([
      '::warning::1 file of package-dir differs from the release only in line endings (CRLF), ' +
        "as git's core.autocrlf leaves them on Windows: the zip is not the bytes that were reviewed. " +
        'Add "workato/release/** -text" to .gitattributes.\n'
    ])
  })

  test('an index folder below a file of the tree is refused before any request', async () => {
    setRelease(release())
    await unpack()
    const indexFile = path.join(dir, '.workato-package.json')
    const index = JSON.parse(await fs.readFile(indexFile, 'utf8')) as { folders: string[] }
    index.folders.push('sync.recipe.json/inner/')
    await fs.writeFile(indexFile, JSON.stringify(index))
    const requests = world.sim.requests.length
    await expect(
      world.run({ mode: 'import', 'package-dir': 'workato/release', 'manifest-id': '' })
    ).rejects.toThrow(
      `Input 'package-dir' holds "sync.recipe.json" as a file, where the release has a folder of that name`
    )
    expect(world.sim.requests.length).toBe(requests)
  })

  test('an empty folder git lost comes back from the index', async () => {
    setRelease(makeZip([{ name: 'Empty/' }, { name: 'a.recipe.json', content: recipe('A', []) }]))
    await unpack()
    await fs.rmdir(path.join(dir, 'Empty')).catch(() => undefined)
    const record = await world.run({
      mode: 'import',
      'package-dir': 'workato/release',
      'manifest-id': ''
    })
    expect(outcomeOf(record)).toBe('succeeded')
    const names = readZip(world.sim.imports[0]?.bytes ?? Buffer.alloc(0)).map(e => e.name)
    expect(names).toEqual(['Empty/', 'a.recipe.json'])
  })

  test('drift: a hot-fix made in the target is listed, and drift: fail imports nothing', async () => {
    setRelease(release())
    await unpack()
    expect(
      outcomeOf(
        await world.run({ mode: 'import', 'package-dir': 'workato/release', 'manifest-id': '' })
      )
    ).toBe('succeeded')
    // a hot-fix in the target's UI, and an asset made there
    const target = world.sim.folderFiles(world.sim.workspace('prod'), FOLDER_ID)
    target.set(
      'sync.recipe.json',
      Buffer.from(
        recipe(
          'Sync accounts',
          [
            { as: 'b1b1b1b1', name: 'log_message' },
            { as: 'd3d3d3d3', name: 'hotfix' }
          ],
          5
        )
      )
    )
    target.set('Functions/made_there.recipe.json', Buffer.from(recipe('Made there', [])))
    // the next release, unpacked over the last one
    setRelease(release({ extraStep: true, version: 2 }))
    await unpack()

    const plan = await world.run({
      mode: 'plan',
      'package-dir': 'workato/release',
      'manifest-id': '',
      snapshot: 'true',
      'source-token': ''
    })
    expect(outcomeOf(plan)).toBe('succeeded')
    expect(plan.drift).toEqual([
      { path: 'Functions/made_there.recipe.json', name: 'Made there', kind: 'only-in-target' },
      { path: 'sync.recipe.json', name: 'Sync accounts', kind: 'changed-in-target' }
    ])
    const imports = world.sim.imports.length
    await expect(
      world.run({
        mode: 'import',
        'package-dir': 'workato/release',
        'manifest-id': '',
        snapshot: 'true',
        drift: 'fail'
      })
    ).rejects.toThrow(
      'Drift: the target folder holds 2 assets package-dir does not: Made there (only-in-target), ' +
        'Sync accounts (changed-in-target). An import would overwrite them; bring them into the ' +
        'repository (mode unpack from the target) or confirm they may go. drift is fail: nothing was imported.'
    )
    expect(world.sim.imports.length).toBe(imports)
  })

  test('a release change the target has not seen yet is not drift', async () => {
    setRelease(release())
    await unpack()
    await world.run({ mode: 'import', 'package-dir': 'workato/release', 'manifest-id': '' })
    setRelease(release({ extraStep: true, withNightly: false }))
    await unpack()
    const plan = await world.run({
      mode: 'plan',
      'package-dir': 'workato/release',
      'manifest-id': '',
      snapshot: 'true',
      'source-token': ''
    })
    expect(plan.drift).toEqual([])
    expect(plan.snapshot?.plan?.changed).toEqual(['sync.recipe.json'])
  })
})

/**
 * Synthetic copies of every package layout we have seen exported (names and order as the real
 * exports have them, invented content), and a custom connector's files beside its adapter.
 */
const LAYOUTS: Record<string, ZipEntry[]> = {
  'API endpoints: root files, then a folder': [
    { name: 'demo.api_endpoint.json', content: '{\n  "name": "demo"\n}' },
    { name: 'cicd_demo.api_group.json', content: '{\n  "name": "group"\n}' },
    { name: 'API/' },
    { name: 'API/demo.recipe.json', content: recipe('Demo endpoint', []) }
  ],
  'a folder between root files': [
    { name: 'cicd_con_http.connection.json', content: '{\n  "name": "HTTP"\n}' },
    { name: 'scheduler.recipe.json', content: recipe('Scheduler', []) },
    { name: 'Functions/' },
    { name: 'Functions/function.recipe.json', content: recipe('Function', []) },
    { name: 'account_properties.properties.json', content: '{\n  "a.b": null\n}' }
  ],
  'two folders, each with a file': [
    { name: 'Connections/' },
    { name: 'Connections/http.connection.json', content: '{\n  "name": "HTTP"\n}' },
    { name: 'Recipes/' },
    { name: 'Recipes/scheduler.recipe.json', content: recipe('Scheduler', []) },
    { name: 'account_properties.properties.json', content: '{}' }
  ],
  'a folder with a space, test cases, project properties after it': [
    { name: 'Folder 1/' },
    { name: 'Folder 1/recipe.recipe.json', content: recipe('Project recipe', []) },
    { name: 'Folder 1/toa_1.recipe.json', content: recipe('TOA 1', []) },
    { name: 'Folder 1/toa_2.recipe.json', content: recipe('TOA 2', []) },
    { name: 'properties.project_properties.json', content: '{\n  "data": {}\n}' },
    { name: 'Folder 1/recipe_test_1.test_case.json', content: '{\n  "name": "Test 1"\n}' },
    { name: 'Folder 1/recipe_test_2.test_case.json', content: '{\n  "name": "Test 2"\n}' }
  ],
  'a custom connector: adapter, source and logo': [
    { name: 'Connectors/' },
    { name: 'Connectors/my_connector.custom_adapter.json', content: '{\n  "name": "Mine"\n}' },
    { name: 'Connectors/my_connector.rb', content: "{\n  title: 'Mine'\n}\n" },
    {
      name: 'Connectors/my_connector.png',
      content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255, 1])
    },
    { name: 'uses.recipe.json', content: recipe('Uses it', []) }
  ]
}

describe('round trip of every layout: unpack, zip, import', () => {
  beforeEach(() => {
    world.sim.reimportChecks = { folderEntries: true, exportedNames: true }
  })

  test.each(Object.entries(LAYOUTS))('%s', async (_name, entries) => {
    const exported = makeZip(entries)
    setRelease(exported)
    await unpack()
    const inputs = { mode: 'import', 'package-dir': 'workato/release', 'manifest-id': '' }
    const first = await world.run(inputs)
    const second = await world.run(inputs)
    expect([outcomeOf(first), outcomeOf(second)]).toEqual(['succeeded', 'succeeded'])
    // zipped twice: the same bytes
    const [one, two] = world.sim.imports.map(i => i.bytes ?? Buffer.alloc(0))
    expect(one?.equals(two ?? Buffer.alloc(0))).toBe(true)
    // the same entries (folders included) and the same bytes per entry as the export
    const asMap = (zip: Buffer) =>
      Object.fromEntries(readZip(zip).map(e => [e.name, e.content.toString('base64')]))
    expect(asMap(one ?? Buffer.alloc(0))).toEqual(asMap(exported))
  })
})

describe('at production size', () => {
  test('1,000 recipes of 30 KB each: unpack, the next release changes 600, the summary stays bounded', async () => {
    const big = (changed: number) =>
      makeZip([
        { name: 'Recipes/' },
        ...Array.from({ length: 1000 }, (_, i) => ({
          name: `Recipes/recipe_${String(i).padStart(4, '0')}.recipe.json`,
          content: recipe(
            `Recipe ${i}`,
            Array.from({ length: 60 }, (_, s) => ({
              as: `${(i * 100 + s).toString(16).padStart(8, '0')}`,
              name: `${i < changed && s === 0 ? 'changed_' : ''}step_${'x'.repeat(400)}`
            }))
          )
        }))
      ])
    setRelease(big(0))
    const started = Date.now()
    const first = await unpack()
    expect(first.tree?.unpacked?.written).toHaveLength(1000)
    setRelease(big(600))
    const second = await unpack()
    expect(second.tree?.unpacked?.written).toHaveLength(600)
    expect(second.changes?.counts).toMatchObject({ changed: 600, unchanged: 400 })
    // a pull request body holds 65,536 characters: what does not fit is counted
    expect(second.changes?.markdown.length).toBeLessThanOrEqual(60_000)
    expect(second.changes?.markdown).toMatch(/… and \d+ more changes/)
    const imported = await world.run({
      mode: 'import',
      'package-dir': 'workato/release',
      'manifest-id': ''
    })
    expect(outcomeOf(imported)).toBe('succeeded')
    expect(Date.now() - started).toBeLessThan(60_000)
  }, 120_000)
})
