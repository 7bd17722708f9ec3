/**
 * package-dir through the built action, as a runner runs it: a release unpacked into the
 * repository file by file, the tree zipped deterministically and imported, the change a reviewer
 * reads, drift, and the trees refused before any request. The logic runs in process too:
 * __tests__/workato/package-dir.test.ts.
 *
 * Every run has a workspace of its own (sim/runner.ts), as every job's checkout is: `step` copies
 * package-dir from the run before into the next one's workspace, as a commit and a checkout would.
 */
import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { beforeEach, describe, expect, test } from '@jest/globals'
import type { ActionRun, RunOptions } from '../../sim/runner.js'
import { FOLDER_ID, MANIFEST_ID } from '../../sim/scenario.js'
import { makeZip, readZip, recipe, release } from '../../sim/zip.js'
import { item } from '../checked.js'
import { jsonOutput, output } from './run-values.js'
import { errorLines, expectRefusedInput, hasStackTrace, useWorld } from './world.js'

const world = useWorld()
const DIR = 'workato/release'
const INDEX = '.workato-package.json'
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

const setRelease = (zip: Buffer) => {
  world.sim.workspace('dev').manifests[MANIFEST_ID] = zip
}

/** The files of a zip, by name, as bytes (its folder entries left out). */
const zipFiles = (zip: Buffer): Record<string, Buffer> =>
  Object.fromEntries(readZip(zip).flatMap(e => (e.name.endsWith('/') ? [] : [[e.name, e.content]])))

/** What package-dir holds in a run's workspace: every file, by '/'-separated name, as bytes. */
async function treeFiles(run: ActionRun, dir = DIR): Promise<Record<string, Buffer>> {
  const root = path.join(run.workspace, dir)
  const out: Record<string, Buffer> = {}
  const walk = async (rel: string): Promise<void> => {
    for (const e of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) await walk(name)
      else out[name] = await fs.readFile(path.join(root, name))
    }
  }
  await walk('')
  return out
}

/** package-dir's files but the index: the package's own. */
const packageFiles = async (run: ActionRun, dir = DIR): Promise<Record<string, Buffer>> =>
  Object.fromEntries(Object.entries(await treeFiles(run, dir)).filter(([name]) => name !== INDEX))

interface Index {
  format: number
  package: { sha256: string; size: number; exported: string; workspace?: string }
  folders: string[]
  assets: Array<{ path: string; type: string; name: string; sha256: string; digest: string }>
  previous?: { sha256: string; digests: Record<string, string> }
}
const readIndex = async (run: ActionRun): Promise<Index> =>
  JSON.parse(await fs.readFile(path.join(run.workspace, DIR, INDEX), 'utf8')) as Index

/** The workspace package-dir was last left in, as the next checkout finds it. */
let repo: string | undefined
let runs = 0
beforeEach(() => {
  repo = undefined
  runs = 0
})

/**
 * One job of its own workflow run (its own run id and artifact name), on a checkout of what the
 * last one left in package-dir. No run, failing or not, prints a stack trace.
 */
async function step(inputs: Record<string, string>, options: Partial<RunOptions> = {}) {
  const from = repo
  runs++
  const run = await world.run(
    { 'artifact-name': `release-${runs}`, ...inputs },
    {
      ...options,
      env: { GITHUB_RUN_ID: String(16000000000 + runs), ...options.env },
      prepare: async dirs => {
        if (from) {
          await fs.cp(path.join(from, DIR), path.join(dirs.workspace, DIR), { recursive: true })
        }
        await options.prepare?.(dirs)
      }
    }
  )
  expect(hasStackTrace(run)).toBe(false)
  repo = run.workspace
  return run
}

const unpack = () => step({ mode: 'unpack', 'package-dir': DIR })
const importTree = (inputs: Record<string, string> = {}) =>
  step({ mode: 'import', 'package-dir': DIR, 'manifest-id': '', ...inputs })
const planTree = () =>
  step({
    mode: 'plan',
    'package-dir': DIR,
    'manifest-id': '',
    snapshot: 'true',
    'source-token': ''
  })

function expectSucceeded(run: ActionRun): void {
  expect(errorLines(run)).toEqual([])
  expect(run.code).toBe(0)
  expect(output(run, 'outcome')).toBe('succeeded')
}

describe('mode unpack through dist/', () => {
  test('1. writes the export byte for byte with its index; the next release removes a dropped file; the summary counts both', async () => {
    const first = release()
    setRelease(first)
    const one = await unpack()
    expectSucceeded(one)
    expect(output(one, 'package-sha256')).toBe(sha256(first))

    const { [INDEX]: indexBytes, ...written } = await treeFiles(one)
    expect(written).toEqual(zipFiles(first))
    expect(indexBytes).toBeDefined()
    const index = await readIndex(one)
    const hex = expect.stringMatching(/^[0-9a-f]{64}$/) as unknown as string
    const asset = (p: string, type: string, name: string) => ({
      path: p,
      type,
      name,
      sha256: sha256(zipFiles(first)[p] ?? Buffer.alloc(0)),
      digest: hex
    })
    expect(index).toEqual({
      format: 1,
      package: {
        sha256: output(one, 'package-sha256'),
        size: first.length,
        exported: `manifest ${MANIFEST_ID}`,
        workspace: 'dev'
      },
      folders: ['Functions/'],
      assets: [
        asset('Functions/nightly.recipe.json', 'recipe', 'Nightly export'),
        asset('Functions/notify.recipe.json', 'recipe', 'Notify'),
        asset('account_properties.properties.json', 'properties', 'account_properties'),
        asset('sync.recipe.json', 'recipe', 'Sync accounts')
      ]
    })
    expect(one.stdout).toContain(
      `Unpacked into ${DIR}: 4 written, 0 removed, 0 unchanged; index ${INDEX}\n`
    )
    expect(one.summary).toContain('## ✅ Workato release unpacked into package-dir\n')
    expect(one.summary).toContain(
      `| Package dir | \`workato/release\`: 4 files written, 0 removed, 0 unchanged |\n`
    )

    // the next release drops Functions/nightly.recipe.json
    const second = release({ withNightly: false })
    setRelease(second)
    const two = await unpack()
    expectSucceeded(two)
    const left = await packageFiles(two)
    expect(left).toEqual(zipFiles(second))
    expect(Object.keys(left).sort()).toEqual([
      'Functions/notify.recipe.json',
      'account_properties.properties.json',
      'sync.recipe.json'
    ])
    await expect(
      fs.lstat(path.join(two.workspace, DIR, 'Functions/nightly.recipe.json'))
    ).rejects.toThrow('ENOENT')
    const next = await readIndex(two)
    expect(next.package.sha256).toBe(output(two, 'package-sha256'))
    expect(next.package.sha256).toBe(sha256(second))
    expect(next.assets.map(a => a.path)).toEqual(Object.keys(left).sort())
    // what the folder held before: the first release, by the digests its own index gave them
    expect(next.previous).toEqual({
      sha256: sha256(first),
      digests: Object.fromEntries(index.assets.map(a => [a.path, a.digest]))
    })
    expect(two.stdout).toContain(
      `Unpacked into ${DIR}: 0 written, 1 removed, 3 unchanged; index ${INDEX}\n`
    )
    expect(two.summary).toContain(
      `| Package dir | \`workato/release\`: 0 files written, 1 removed, 3 unchanged |\n`
    )

    // the same release exported again (only the zip's timestamps differ): nothing written
    const indexBefore = await fs.readFile(path.join(two.workspace, DIR, INDEX))
    setRelease(makeZip(readZip(second), new Date(Date.UTC(2027, 5, 5))))
    const three = await unpack()
    expectSucceeded(three)
    expect(three.stdout).toContain(
      `${DIR} already holds every file of this release: nothing written\n`
    )
    expect(await fs.readFile(path.join(three.workspace, DIR, INDEX))).toEqual(indexBefore)
    expect(await treeFiles(three)).toEqual(await treeFiles(two))
  })
})

describe('mode import from package-dir through dist/', () => {
  test('2. two runs zip the tree to the same sha256, the bytes Workato received, accepted by the re-import checks', async () => {
    const exported = release()
    setRelease(exported)
    expectSucceeded(await unpack())
    world.sim.reimportChecks = { folderEntries: true, exportedNames: true }

    const first = await importTree()
    const second = await importTree()
    expectSucceeded(first)
    expectSucceeded(second)
    const sha = output(first, 'package-sha256')
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    expect(output(second, 'package-sha256')).toBe(sha)
    expect(output(first, 'sent-sha256')).toBe(sha)
    expect(world.sim.imports.map(i => [i.folderId, i.sha256])).toEqual([
      [FOLDER_ID, sha],
      [FOLDER_ID, sha]
    ])
    const received = item(world.sim.imports, 0).bytes ?? Buffer.alloc(0)
    expect(sha256(received)).toBe(sha)
    expect(item(world.sim.imports, 1).bytes).toEqual(received)
    // the export's own entry names, its folder entry, and its files byte for byte
    expect(readZip(received).map(e => e.name)).toEqual([
      'Functions/',
      'Functions/nightly.recipe.json',
      'Functions/notify.recipe.json',
      'account_properties.properties.json',
      'sync.recipe.json'
    ])
    expect(zipFiles(received)).toEqual(zipFiles(exported))
    expect(first.summary).toContain(
      `| Package dir | \`workato/release\`, zipped deterministically ` +
        `(the same files always give the same sha256: \`${sha}\`) |\n`
    )
  })
})

describe('a folder below the workspace whose name begins with two dots', () => {
  test('package-dir: ..release is inside the workspace: unpacked there', async () => {
    setRelease(release())
    const run = await step({ mode: 'unpack', 'package-dir': '..release' })
    expectSucceeded(run)
    const written = await packageFiles(run, '..release')
    expect(written).toEqual(zipFiles(release()))
  })
})

describe('changes through dist/', () => {
  test('3. a changed recipe is listed by name with its added step; a version bump alone changes no recipe', async () => {
    setRelease(release())
    expectSucceeded(await unpack())
    setRelease(release({ version: 2, extraStep: true }))
    const changed = await unpack()
    expectSucceeded(changed)
    const changes = output(changed, 'changes')
    expect(changes).toBe(
      [
        `### Changes to ${DIR}`,
        '',
        '**Recipes:** 1 changed, 0 added, 0 removed, 2 unchanged · **Other assets:** 0 changed, 0 added, 0 removed, 1 unchanged',
        '',
        '#### Recipes',
        '',
        '- **Changed** Sync accounts (sync.recipe.json)',
        '  - Steps added: `c2c2c2c2` logger log\\_error',
        ''
      ].join('\n')
    )
    expect(changed.summary).toContain(changes)

    setRelease(release({ version: 9, extraStep: true }))
    const bumped = await unpack()
    expectSucceeded(bumped)
    expect(output(bumped, 'changes')).toBe(
      [
        `### Changes to ${DIR}`,
        '',
        '**Recipes:** 0 changed, 0 added, 0 removed, 3 unchanged · **Other assets:** 0 changed, 0 added, 0 removed, 1 unchanged',
        '',
        'Nothing changed.',
        ''
      ].join('\n')
    )
    expect(bumped.stdout).toContain(
      `Unpacked into ${DIR}: 1 written, 0 removed, 3 unchanged; index ${INDEX}\n`
    )
    expect(bumped.summary).toContain(
      `| Package dir | \`workato/release\`: 1 file written, 0 removed, 3 unchanged |\n`
    )
  })
})

describe('drift through dist/', () => {
  test('4. a hot-fix and an asset made in the target are drift: listed first by plan, and drift: fail imports nothing', async () => {
    setRelease(release())
    expectSucceeded(await unpack())
    expectSucceeded(await importTree())
    // a hot-fix in the target's UI, and a recipe made there
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
    setRelease(release({ version: 2, extraStep: true }))
    expectSucceeded(await unpack())

    const plan = await planTree()
    expectSucceeded(plan)
    const drift = [
      { path: 'Functions/made_there.recipe.json', name: 'Made there', kind: 'only-in-target' },
      { path: 'sync.recipe.json', name: 'Sync accounts', kind: 'changed-in-target' }
    ]
    expect(jsonOutput(plan, 'drift')).toEqual(drift)
    const warnings = plan.stdout.split('\n').filter(l => l.startsWith('::warning'))
    expect(warnings).toEqual([
      '::warning::Drift: the target folder holds 2 assets package-dir does not: Made there (only-in-target), ' +
        'Sync accounts (changed-in-target). An import would overwrite them; bring them into the ' +
        'repository (mode unpack from the target) or confirm they may go.'
    ])
    const heading = '### ⚠️ Drift: the target holds 2 assets package-dir does not\n'
    expect(plan.summary).toContain(heading)
    expect(plan.summary).toContain(
      '| Made there | `Functions/made\\_there.recipe.json` | only in the target |\n'
    )
    expect(plan.summary).toContain(
      '| Sync accounts | `sync.recipe.json` | changed in the target since the release package-dir held before |\n'
    )
    expect(plan.summary.indexOf(heading)).toBeGreaterThan(0)
    expect(plan.summary.indexOf(heading)).toBeLessThan(plan.summary.indexOf('| What | Value |'))

    // drift: fail stops a plan too, and an import before anything is sent to the import
    const driftError =
      'Drift: the target folder holds 2 assets package-dir does not: Made there (only-in-target), ' +
      'Sync accounts (changed-in-target). An import would overwrite them; bring them into the ' +
      'repository (mode unpack from the target) or confirm they may go. drift is fail: nothing was imported.'
    const imports = world.sim.imports.length
    const failedPlan = await step({
      mode: 'plan',
      'package-dir': DIR,
      'manifest-id': '',
      snapshot: 'true',
      'source-token': '',
      drift: 'fail'
    })
    expect(failedPlan.code).toBe(1)
    expect(errorLines(failedPlan)).toEqual([`::error::${driftError}`])
    expect(output(failedPlan, 'outcome')).toBe('failed')
    expect(jsonOutput(failedPlan, 'drift')).toEqual(drift)
    const refused = await importTree({ snapshot: 'true', drift: 'fail' })
    expect(refused.code).toBe(1)
    expect(errorLines(refused)).toEqual([`::error::${driftError}`])
    expect(output(refused, 'outcome')).toBe('failed')
    expect(jsonOutput(refused, 'drift')).toEqual(drift)
    expect(world.sim.imports.length).toBe(imports)
    expect(world.sim.importPosts).toHaveLength(imports)
  })
})

/** What a hostile case puts in the workspace, the inputs it runs with, and the error it must get. */
interface Hostile {
  inputs?: Record<string, string>
  files?: Record<string, string>
  prepare?: (dirs: { workspace: string; outside: string }) => Promise<void>
  error: (dirs: { workspace: string; outside: string }) => string
}

const VALID = recipe('Sync accounts', [])
const validIndex = (folders: string[]) =>
  JSON.stringify({
    format: 1,
    package: { sha256: 'a'.repeat(64), size: 1, exported: 'manifest 12' },
    folders,
    assets: []
  })
const IMPORT = { mode: 'import', 'package-dir': DIR, 'manifest-id': '' }
const UNPACK = { mode: 'unpack', 'package-dir': DIR }
const abs = (workspace: string) => JSON.stringify(path.join(workspace, DIR))

const LINK_INSIDE: Hostile = {
  files: { [`${DIR}/sync.recipe.json`]: VALID },
  prepare: async ({ workspace, outside }) => {
    await fs.writeFile(path.join(outside, 'secret.recipe.json'), VALID)
    await fs.symlink(
      path.join(outside, 'secret.recipe.json'),
      path.join(workspace, DIR, 'linked.recipe.json')
    )
  },
  error: () =>
    `::error::Input 'package-dir' holds a link, "linked.recipe.json": a package holds files only, never links`
}
const DIR_LINK_OUTSIDE: Hostile = {
  prepare: async ({ workspace, outside }) => {
    await fs.writeFile(path.join(outside, 'sync.recipe.json'), VALID)
    await fs.mkdir(path.join(workspace, 'workato'))
    await fs.symlink(outside, path.join(workspace, DIR))
  },
  error: ({ workspace, outside }) =>
    `::error::Input 'package-dir' resolves outside the workspace (${abs(workspace)} leads to ` +
    `${JSON.stringify(outside)}, through a link)`
}
const PARENT_LINK_OUTSIDE: Hostile = {
  prepare: async ({ workspace, outside }) => {
    await fs.symlink(outside, path.join(workspace, 'workato'))
  },
  error: ({ workspace, outside }) =>
    `::error::Input 'package-dir' resolves outside the workspace (${abs(workspace)} leads to ` +
    `${JSON.stringify(outside)}, through a link)`
}

const HOSTILE: Array<[string, Hostile]> = [
  ['a link inside package-dir to a file outside (mode import)', { ...LINK_INSIDE, inputs: IMPORT }],
  ['a link inside package-dir to a file outside (mode unpack)', { ...LINK_INSIDE, inputs: UNPACK }],
  [
    'package-dir a link to a folder outside the workspace (mode import)',
    { ...DIR_LINK_OUTSIDE, inputs: IMPORT }
  ],
  [
    'package-dir a link to a folder outside the workspace (mode unpack)',
    { ...DIR_LINK_OUTSIDE, inputs: UNPACK }
  ],
  [
    'a folder above package-dir a link outside the workspace (mode unpack)',
    { ...PARENT_LINK_OUTSIDE, inputs: UNPACK }
  ],
  [
    'package-dir: ../outside (mode unpack)',
    {
      inputs: { ...UNPACK, 'package-dir': '../outside' },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' must be a folder below the workspace (${workspace}), not the ` +
        'workspace itself or outside it (got "../outside")'
    }
  ],
  [
    'package-dir: ../outside (mode import)',
    {
      inputs: { ...IMPORT, 'package-dir': '../outside' },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' must be a folder below the workspace (${workspace}), not the ` +
        'workspace itself or outside it (got "../outside")'
    }
  ],
  [
    'package-dir: ../outside (mode plan)',
    {
      inputs: {
        mode: 'plan',
        'package-dir': '../outside',
        'manifest-id': '',
        snapshot: 'true',
        'source-token': ''
      },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' must be a folder below the workspace (${workspace}), not the ` +
        'workspace itself or outside it (got "../outside")'
    }
  ],
  [
    'package-dir: . (the workspace itself, mode unpack)',
    {
      inputs: { ...UNPACK, 'package-dir': '.' },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' must be a folder below the workspace (${workspace}), not the ` +
        'workspace itself or outside it (got ".")'
    }
  ],
  [
    'package-dir: . (the workspace itself, mode import)',
    {
      inputs: { ...IMPORT, 'package-dir': '.' },
      files: { 'sync.recipe.json': VALID },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' must be a folder below the workspace (${workspace}), not the ` +
        'workspace itself or outside it (got ".")'
    }
  ],
  [
    'a README.md inside package-dir',
    {
      inputs: IMPORT,
      files: { [`${DIR}/sync.recipe.json`]: VALID, [`${DIR}/README.md`]: '# release\n' },
      error: () =>
        `::error::Input 'package-dir' holds "README.md", which is not a package file (a package ` +
        'holds *.json files, and .rb / .png beside a custom connector); keep other files outside package-dir'
    }
  ],
  [
    'an index listing folder "Functions/" where Functions is a file',
    {
      inputs: IMPORT,
      files: {
        [`${DIR}/sync.recipe.json`]: VALID,
        [`${DIR}/Functions`]: VALID,
        [`${DIR}/${INDEX}`]: validIndex(['Functions/'])
      },
      error: () =>
        `::error::Input 'package-dir' holds "Functions", which is not a package file (a package ` +
        'holds *.json files, and .rb / .png beside a custom connector); keep other files outside package-dir'
    }
  ],
  [
    'an index listing folder "Functions.json/" where Functions.json is a file (a package file)',
    {
      inputs: IMPORT,
      files: {
        [`${DIR}/sync.recipe.json`]: VALID,
        [`${DIR}/Functions.json`]: VALID,
        [`${DIR}/${INDEX}`]: validIndex(['Functions.json/'])
      },
      error: () =>
        `::error::Input 'package-dir' holds "Functions.json" as a file, where the release has a folder of that name`
    }
  ],
  [
    'package-dir missing',
    {
      inputs: IMPORT,
      error: ({ workspace }) =>
        `::error::Input 'package-dir' names no folder: ${abs(workspace)} (unpack a release into it first, with mode unpack)`
    }
  ],
  [
    'package-dir empty',
    {
      inputs: IMPORT,
      prepare: ({ workspace }) =>
        fs.mkdir(path.join(workspace, DIR), { recursive: true }).then(() => undefined),
      error: ({ workspace }) =>
        `::error::Input 'package-dir' holds no package file: ${abs(workspace)} is empty (unpack a release into it with mode unpack)`
    }
  ],
  [
    'package-dir a file',
    {
      inputs: IMPORT,
      files: { [DIR]: VALID },
      error: ({ workspace }) =>
        `::error::Input 'package-dir' is not a folder: ${abs(workspace)} is a file`
    }
  ]
]

describe('5. hostile trees through dist/: one error naming package-dir and the path, no request', () => {
  test.each(HOSTILE)('%s', async (_name, hostile) => {
    let dirs = { workspace: '', outside: '' }
    const snapshot = async () =>
      Promise.all(
        (await fs.readdir(dirs.outside)).map(async f => [
          f,
          await fs.readFile(path.join(dirs.outside, f))
        ])
      )
    let outsideBefore: unknown
    const run = await world.run(hostile.inputs ?? IMPORT, {
      files: hostile.files,
      prepare: async ({ workspace }) => {
        // beside the workspace, in the runner's own folder: outside it, and removed with it
        const outside = path.join(path.dirname(workspace), 'outside')
        await fs.mkdir(outside)
        dirs = { workspace, outside }
        await hostile.prepare?.(dirs)
        outsideBefore = await snapshot()
      }
    })
    expectRefusedInput(run, world, 'package-dir')
    expect(errorLines(run)).toEqual([hostile.error(dirs)])
    expect(hasStackTrace(run)).toBe(false)
    // nothing written outside either
    expect(await snapshot()).toEqual(outsideBefore)
  })

  test('package-path together with package-dir in mode import: one error, no request', async () => {
    const run = await world.run(
      { ...IMPORT, 'package-path': 'release.zip' },
      { files: { [`${DIR}/sync.recipe.json`]: VALID, 'release.zip': release() } }
    )
    expectRefusedInput(run, world, 'package-path')
    expect(errorLines(run)).toEqual([
      "::error::Input 'package-path' and package-dir are both set: give one, the zip to import " +
        '(package-path) or the folder to zip and import (package-dir)'
    ])
    expect(hasStackTrace(run)).toBe(false)
  })
})
