import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { localExtraBomb, makeZip, overlappingZip, samplePackage } from '../../sim/zip.js'
import { contentDigests, readEntries, readSmallEntry } from '../../src/shared/zip.js'
import { item } from '../checked.js'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'zip-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
const write = async (name: string, bytes: Buffer) => {
  const file = path.join(dir, name)
  await writeFile(file, bytes)
  return file
}
const entriesOf = async (file: string) => {
  const handle = await open(file, 'r')
  try {
    return await readEntries(handle)
  } finally {
    await handle.close()
  }
}

describe('zip', () => {
  test('entries and their exact content, read back as written', async () => {
    const file = await write(
      'ok.zip',
      makeZip([{ name: 'a/' }, { name: 'a/b.json', content: '{"x":1}' }])
    )
    const entries = await entriesOf(file)
    expect(entries.map(e => e.path)).toEqual(['a/', 'a/b.json'])
    const handle = await open(file, 'r')
    try {
      expect((await readSmallEntry(handle, item(entries, 1, 'entry'))).toString()).toBe('{"x":1}')
    } finally {
      await handle.close()
    }
  })

  test('digests are of content: two exports of the same files at other times match', async () => {
    const one = await write('one.zip', makeZip([{ name: 'f.json', content: 'same' }], new Date(0)))
    const two = await write('two.zip', makeZip([{ name: 'f.json', content: 'same' }]))
    expect(await contentDigests(one)).toEqual(await contentDigests(two))
  })

  test.each([
    ['overlapping entries', overlappingZip(3, 1024, 1024), 'overlap'],
    ['an entry larger than it declares', overlappingZip(1, 4096, 10), 'past its declared size'],
    [
      'two entries with one name',
      makeZip([
        { name: 'x.json', content: '1' },
        { name: 'x.json', content: '2' }
      ]),
      'two entries named "x.json"'
    ],
    [
      'a name that escapes its folder',
      makeZip([{ name: '../evil.json', content: '1' }]),
      'escapes'
    ],
    [
      'entries pointed at one block by their local extra fields',
      localExtraBomb(10, 65_536),
      'entries "Integrations/blob_000.json" and "Integrations/blob_001.json" overlap'
    ],
    [
      'a local header that names its entry otherwise',
      (() => {
        const zip = makeZip([{ name: 'a.json', content: '1' }])
        zip.write('b', 30) // the local header's copy of the name
        return zip
      })(),
      'entry "a.json" has another name in its local header'
    ]
  ])('%s is refused', async (_name, zip, problem) => {
    const file = await write(`bad-${problem.length}.zip`, zip)
    await expect(contentDigests(file)).rejects.toThrow(problem)
  })

  test('a real-looking package reads whole', async () => {
    const file = await write('pkg.zip', samplePackage(['A', 'B']))
    expect((await contentDigests(file)).size).toBe(4)
  })
})
