import { execFileSync, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  chmod,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rm,
  stat,
  utimes,
  writeFile
} from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { ActionError } from '../../src/shared/errors.js'
import { hashFile } from '../../src/shared/package-file.js'
import { readEntries, readSmallEntry, type Entry } from '../../src/shared/zip.js'
import { writeDeterministicZip, type ZipInput, type ZipLimits } from '../../src/shared/zip-write.js'

const LIMITS: ZipLimits = { maxEntryBytes: 1 << 20, maxZipBytes: 16 << 20 }

let dir = ''
let trees = 0
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zip-write-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A tree on disk from `{ name: content }` (null for a folder), and the inputs that zip it. */
async function tree(spec: Record<string, string | Buffer | null>): Promise<ZipInput[]> {
  const root = path.join(dir, `tree-${trees++}`)
  await mkdir(root)
  const inputs: ZipInput[] = []
  for (const [name, content] of Object.entries(spec)) {
    const full = path.join(root, ...name.split('/'))
    if (content === null) {
      await mkdir(full, { recursive: true })
      inputs.push({ name })
    } else {
      await mkdir(path.dirname(full), { recursive: true })
      await writeFile(full, content)
      inputs.push({ name, file: full })
    }
  }
  return inputs
}

let zips = 0
const destination = () => path.join(dir, `out-${zips++}.zip`)

async function zipped(inputs: ZipInput[], limits = LIMITS) {
  const file = destination()
  const facts = await writeDeterministicZip(inputs, file, limits)
  return { file, facts, bytes: await readFile(file) }
}

/** What the project's reader finds in `file`: each entry, with its content for a file. */
async function readBack(file: string) {
  const handle = await open(file, 'r')
  try {
    const entries = await readEntries(handle)
    const read: { entry: Entry; content: Buffer }[] = []
    for (const entry of entries) read.push({ entry, content: await readSmallEntry(handle, entry) })
    return read
  } finally {
    await handle.close()
  }
}

const byteOrder = (names: string[]) =>
  [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n'

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false
  )

const LAYOUTS: [string, Record<string, string | null>][] = [
  [
    'root files and a folder with one flow',
    {
      'manifest.json': json({ name: 'Demo package', version: 3 }),
      'settings.json': json({ timezone: 'UTC' }),
      'API/': null,
      'API/sample_endpoint.recipe.json': json({ name: 'Sample endpoint', steps: [1, 2, 3] })
    }
  ],
  [
    'two folders each with a file, and a properties file at the root',
    {
      'Connections/': null,
      'Connections/demo_http.connection.json': json({ provider: 'http', name: 'Demo' }),
      'Recipes/': null,
      'Recipes/daily_sync.recipe.json': json({ name: 'Daily sync', trigger: 'schedule' }),
      'account_properties.properties.json': json({ region: 'eu', retries: 2 })
    }
  ],
  [
    'a folder with a space in its name and seven files',
    {
      'Folder 1/': null,
      ...Object.fromEntries(
        Array.from({ length: 7 }, (_, i) => [
          `Folder 1/step_${i + 1}.recipe.json`,
          json({ step: i + 1, note: 'x'.repeat(i * 50) })
        ])
      )
    }
  ],
  [
    'non-ASCII names',
    {
      'Données/': null,
      'Données/café_日本.json': json({ greeting: 'こんにちは' }),
      'plain.json': json({ ascii: true })
    }
  ],
  ['an empty folder', { 'Empty/': null }]
]

describe('writeDeterministicZip', () => {
  test.each(LAYOUTS)('round trip: %s', async (_name, spec) => {
    const inputs = await tree(spec)
    const { file, facts, bytes } = await zipped(inputs)
    const read = await readBack(file)

    const names = read.map(r => r.entry.path)
    expect(names).toEqual(byteOrder(Object.keys(spec)))
    // the local headers are in that order too
    const offsets = read.map(r => r.entry.localOffset)
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b))
    for (const { entry, content } of read) {
      const source = spec[entry.path]
      expect(content).toEqual(Buffer.from(source ?? ''))
      // bit 11 (UTF-8) exactly when the name is not ASCII, and no other flag
      const flags = bytes.readUInt16LE(entry.localOffset + 6)
      expect(flags).toBe(/^[\x20-\x7e]*$/.test(entry.path) ? 0 : 0x0800)
    }
    expect(facts).toEqual({
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex')
    })
    expect(await hashFile(file)).toEqual(facts)
  })

  describe('determinism', () => {
    const spec = {
      'b.json': json({ b: 1 }),
      'B.json': json({ B: 2 }),
      'a/': null,
      'a/z.json': json({ z: [1, 2, 3] }),
      'a.json': json({ a: 'x'.repeat(500) })
    }

    test('entries are in byte order, whatever order they are given in', async () => {
      const inputs = await tree(spec)
      const one = await zipped(inputs)
      const two = await zipped([...inputs].reverse())
      expect(two.bytes.equals(one.bytes)).toBe(true)
      expect(two.facts).toEqual(one.facts)
      // not locale order, which would put the lower-case names first
      expect((await readBack(one.file)).map(r => r.entry.path)).toEqual([
        'B.json',
        'a.json',
        'a/',
        'a/z.json',
        'b.json'
      ])
    })

    test("a file's time and mode do not change the zip; one byte of content does", async () => {
      const inputs = await tree(spec)
      const before = await zipped(inputs)
      const touched = inputs.find(i => i.name === 'a/z.json')?.file ?? ''
      await utimes(touched, new Date('2001-02-03T04:05:06Z'), new Date('2011-12-13T14:15:16Z'))
      await chmod(touched, 0o600)
      const after = await zipped(inputs)
      expect(after.bytes.equals(before.bytes)).toBe(true)

      const content = await readFile(touched)
      content[2] = content[2] === 0x30 ? 0x31 : 0x30
      await writeFile(touched, content)
      const changed = await zipped(inputs)
      expect(changed.facts.sha256).not.toBe(before.facts.sha256)
    })

    // Deliberate: these bytes depend on fflate's deflate, so an upgrade that deflates otherwise
    // changes every zip's sha256. If this fails after an upgrade, the new output is as valid, but
    // zips written before and after no longer match: change the pin knowingly.
    test('a fixed input gives the pinned sha256', async () => {
      const inputs = await tree({
        'one.json': json({ one: 1, list: ['a', 'b', 'c', 'a', 'b', 'c'] }),
        'Two/': null,
        'Two/two.txt': 'two\n'
      })
      const { facts } = await zipped(inputs)
      expect(facts).toEqual({
        size: 346,
        sha256: '34ca20c5d36f07a22a29376f9c28a55cfc3b6a61c49e47519f74be766ccb7515'
      })
    })
  })

  test('content that does not compress is stored, JSON is deflated, an empty file stored', async () => {
    const inputs = await tree({
      'random.bin': randomBytes(4096),
      'data.json': json(Array.from({ length: 50 }, (_, i) => ({ id: i, name: `item ${i}` }))),
      'empty.json': ''
    })
    const read = await readBack((await zipped(inputs)).file)
    const entry = (name: string) => read.find(r => r.entry.path === name)?.entry
    expect(entry('random.bin')).toMatchObject({ method: 0, size: 4096, compressedSize: 4096 })
    expect(entry('data.json')?.method).toBe(8)
    expect(entry('data.json')?.compressedSize).toBeLessThan(entry('data.json')?.size ?? 0)
    expect(entry('empty.json')).toMatchObject({ method: 0, size: 0, compressedSize: 0 })
  })

  const haveUnzip = spawnSync('unzip', ['-v']).status === 0
  if (!haveUnzip) console.warn('unzip (Info-ZIP) is not installed: skipping the unzip -t test')
  ;(haveUnzip ? describe : describe.skip)('Info-ZIP', () => {
    test('tests it clean and dates it 1980-01-01', async () => {
      const inputs = await tree({
        ...(LAYOUTS[2]?.[1] ?? {}),
        'Données/': null,
        'Données/café.json': json({ ok: true }),
        'Empty/': null,
        'random.bin': randomBytes(1000),
        'empty.txt': ''
      })
      const { file } = await zipped(inputs)
      const tested = execFileSync('unzip', ['-t', file], { encoding: 'utf8' })
      expect(tested).toContain('No errors detected')
      // zipinfo (unzip -Z): a line per entry, mode first and name last; -T: yyyymmdd.hhmmss times
      const listing = execFileSync('unzip', ['-Z', '-T', file], { encoding: 'utf8' })
      const lines = listing.split('\n').filter(line => / unx /.test(line))
      expect(lines).toHaveLength(inputs.length)
      for (const line of lines) {
        expect(line).toContain(' 19800101.000000 ')
        expect(line).toMatch(line.endsWith('/') ? /^drwxr-xr-x / : /^-rw-r--r-- /)
      }
    })
  })

  describe('refusals', () => {
    test.each<[string, ZipInput[], string]>([
      [
        'two entries with one name',
        [
          { name: 'x.json', file: '/nonexistent/1' },
          { name: 'x.json', file: '/nonexistent/2' }
        ],
        '"x.json": it is given twice'
      ],
      ['a name that climbs out', [{ name: '../x', file: '/nonexistent' }], '"../x"'],
      ['a "." segment', [{ name: 'a/./x', file: '/nonexistent' }], '"a/./x"'],
      ['an absolute name', [{ name: '/x', file: '/nonexistent' }], '"/x": it is absolute'],
      ['an empty segment', [{ name: 'a//b', file: '/nonexistent' }], '"a//b"'],
      ['a backslash', [{ name: 'a\\b', file: '/nonexistent' }], "it has a '\\'"],
      ['a NUL', [{ name: 'a\0b', file: '/nonexistent' }], 'it has a NUL'],
      ['an empty name', [{ name: '', file: '/nonexistent' }], '"": it is empty'],
      ['a folder with a file', [{ name: 'a/', file: '/nonexistent' }], '"a/": it is a folder'],
      ['a file without one', [{ name: 'a.json' }], '"a.json": it has no file'],
      ['a name too long', [{ name: 'é'.repeat(40_000), file: '/x' }], 'longer than 65535 bytes'],
      [
        'too many entries',
        Array.from({ length: 65_535 }, (_, i) => ({ name: `d${i}/` })),
        'at most 65534'
      ]
    ])('%s, before anything is written', async (_name, inputs, problem) => {
      const file = destination()
      const writing = writeDeterministicZip(inputs, file, LIMITS)
      await expect(writing).rejects.toThrow(ActionError)
      await expect(writing).rejects.toThrow(problem)
      expect(await exists(file)).toBe(false)
    })

    test('a file larger than maxEntryBytes, and no partial zip left', async () => {
      const inputs = await tree({ 'a.json': 'small', 'b.bin': Buffer.alloc(101) })
      const file = destination()
      await writeFile(file, 'an earlier zip')
      const writing = writeDeterministicZip(inputs, file, { ...LIMITS, maxEntryBytes: 100 })
      await expect(writing).rejects.toThrow('"b.bin": it is 101 bytes (at most 100)')
      expect(await exists(file)).toBe(false)
      const fits = await writeDeterministicZip(inputs, file, { ...LIMITS, maxEntryBytes: 101 })
      expect(fits.size).toBeGreaterThan(0)
    })

    test('a zip larger than maxZipBytes, and no partial zip left', async () => {
      const inputs = await tree({ 'a.bin': randomBytes(600), 'b.bin': randomBytes(600) })
      const { facts } = await zipped(inputs)
      const file = destination()
      const writing = writeDeterministicZip(inputs, file, {
        ...LIMITS,
        maxZipBytes: facts.size - 1
      })
      await expect(writing).rejects.toThrow(`larger than ${facts.size - 1} bytes`)
      expect(await exists(file)).toBe(false)
      const exact = await writeDeterministicZip(inputs, file, {
        ...LIMITS,
        maxZipBytes: facts.size
      })
      expect(exact).toEqual(facts)
    })
  })
})
