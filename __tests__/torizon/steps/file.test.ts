/**
 * The package-file step in process: what it records of the file, what it prints, and the exact
 * words of each file it refuses. It talks to no one: the simulator sees nothing.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { InputError } from '../../../src/shared/errors.js'
import { newRecord } from '../../../src/torizon/record.js'
import { checkFile } from '../../../src/torizon/steps/file.js'
import { COMPOSE } from '../../e2e/torizon-world.js'
import { failure, useSteps } from '../step-world.js'

const steps = useSteps()
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('checkFile', () => {
  test('a file: its path, size and sha256 in the record and the log, nothing sent', async () => {
    const config = steps.config()
    const record = newRecord(config)
    await checkFile(config, record)

    const file = path.join(steps.workspace, 'docker-compose.yml')
    expect(record.stage).toBe('package file')
    expect(record.file).toEqual({ path: file, size: COMPOSE.length, sha256: sha256(COMPOSE) })
    expect(steps.log).toBe(`Package file ${file}: 130 B, sha256 ${sha256(COMPOSE)}\n`)
    expect(steps.sim.requests).toEqual([])
  })

  test('a file larger than the hashing buffer: hashed whole, its size in MiB', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 7)
    await writeFile(path.join(steps.workspace, 'app.bin'), big)
    const config = steps.config({ 'package-path': 'app.bin' })
    const record = newRecord(config)
    await checkFile(config, record)

    expect(record.file).toEqual({
      path: path.join(steps.workspace, 'app.bin'),
      size: big.length,
      sha256: sha256(big)
    })
    expect(steps.log).toContain(`: 3.0 MiB, sha256 ${sha256(big)}`)
  })

  test('a link to a file: the file it names is checked', async () => {
    await symlink(
      path.join(steps.workspace, 'docker-compose.yml'),
      path.join(steps.workspace, 'link.yml')
    )
    const config = steps.config({ 'package-path': 'link.yml' })
    const record = newRecord(config)
    await checkFile(config, record)

    expect(record.file).toEqual({
      path: path.join(steps.workspace, 'link.yml'),
      size: COMPOSE.length,
      sha256: sha256(COMPOSE)
    })
  })

  const refusals: Array<[string, string, (workspace: string) => Promise<void>, string]> = [
    ['no file', 'build/missing.yml', () => Promise.resolve(), 'names no file'],
    [
      'a folder',
      'build',
      workspace => mkdir(path.join(workspace, 'build')).then(() => undefined),
      'is not a regular file'
    ],
    [
      'an empty file',
      'empty.yml',
      workspace => writeFile(path.join(workspace, 'empty.yml'), ''),
      'is empty'
    ]
  ]
  test.each(refusals)(
    '%s: an input error naming package-path, nothing recorded',
    async (_what, given, prepare, problem) => {
      await prepare(steps.workspace)
      const config = steps.config({ 'package-path': given })
      const record = newRecord(config)
      const error = await failure(checkFile(config, record))

      expect(error).toBeInstanceOf(InputError)
      expect(error).toMatchObject({ input: 'package-path' })
      expect(error.message).toBe(
        `Input 'package-path' ${problem}: ${path.join(steps.workspace, given)}. Nothing was published.`
      )
      expect(record.stage).toBe('package file')
      expect(record.file).toBeUndefined()
      expect(steps.log).toBe('')
    }
  )
})
