import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  formatBytes,
  hashFile,
  HashedFileBody,
  writeAtomically
} from '../../src/shared/package-file.js'
import { zipProblem } from '../../src/shared/zip.js'
import { makeZip, samplePackage } from '../../sim/zip.js'

let dir = ''
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'package-file-'))
})
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true })
})

async function write(name: string, bytes: Buffer | string): Promise<string> {
  const file = path.join(dir, name)
  await fs.writeFile(file, bytes)
  return file
}

describe('zip checks', () => {
  test('a whole zip passes, also with a comment after the directory', async () => {
    const zip = samplePackage()
    expect(await zipProblem(await write('ok.zip', zip))).toBeUndefined()
    const comment = Buffer.from('release 1.2.3')
    const withComment = Buffer.concat([zip, comment])
    withComment.writeUInt16LE(comment.length, zip.length - 2)
    expect(await zipProblem(await write('comment.zip', withComment))).toBeUndefined()
  })

  test('a cut-short zip, an HTML page, JSON, an empty file and a directory-only zip fail', async () => {
    const zip = samplePackage()
    expect(await zipProblem(await write('cut.zip', zip.subarray(0, zip.length - 10)))).toMatch(
      /end-of-central-directory/
    )
    expect(await zipProblem(await write('half.zip', zip.subarray(0, zip.length >> 1)))).toMatch(
      /truncated/
    )
    expect(
      await zipProblem(await write('page.zip', '<html><body>Bad gateway</body></html>'))
    ).toMatch(/error page/)
    expect(
      await zipProblem(
        await write('json.zip', '{"message":"Package not found, or something else"}')
      )
    ).toMatch(/local file header/)
    expect(await zipProblem(await write('empty.zip', ''))).toMatch(/too small/)
    expect(await zipProblem(await write('short.zip', Buffer.from('PK\x05\x06')))).toMatch(
      /too small/
    )
    // an empty archive is a valid zip: the export of an empty folder
    expect(await zipProblem(await write('none.zip', makeZip([])))).toBeUndefined()
  })

  test('a directory that points past the end record fails', async () => {
    const zip = Buffer.from(samplePackage())
    zip.writeUInt32LE(zip.length, zip.length - 22 + 16)
    expect(await zipProblem(await write('bad-offset.zip', zip))).toMatch(/past the end/)
  })
})

describe('files', () => {
  test('hashFile streams sha256 and size', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 'x')
    const facts = await hashFile(await write('big.bin', bytes))
    expect(facts).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length
    })
  })

  test('HashedFileBody: each attempt reads the file afresh; sent() is what the last one read', async () => {
    const bytes = Buffer.from('package bytes\n'.repeat(1000))
    const file = await write('body.bin', bytes)
    const body = new HashedFileBody(file, bytes.length)
    const drain = async (stream: NodeJS.ReadableStream) => {
      const chunks: Buffer[] = []
      for await (const chunk of stream) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks)
    }
    // a first attempt cut short, then a whole one
    const first = body.open()
    first.once('data', () => (first as unknown as { destroy: () => void }).destroy())
    await drain(first).catch(() => undefined)
    expect((await drain(body.open())).equals(bytes)).toBe(true)
    expect(body.sent()).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length
    })
  })

  test('writeAtomically publishes only on success and leaves no partial file', async () => {
    const target = path.join(dir, 'sub', 'pkg.zip')
    await expect(
      writeAtomically(target, async partial => {
        await fs.writeFile(partial, 'half')
        throw new Error('cut')
      })
    ).rejects.toThrow('cut')
    await expect(fs.stat(target)).rejects.toThrow()
    expect(await fs.readdir(path.dirname(target))).toEqual([])
    await writeAtomically(target, partial => fs.writeFile(partial, 'whole'))
    expect(await fs.readFile(target, 'utf8')).toBe('whole')
    expect(await fs.readdir(path.dirname(target))).toEqual(['pkg.zip'])
  })

  test('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KiB')
    expect(formatBytes(200 * 1024 * 1024)).toBe('200.0 MiB')
  })
})
