/** The package step alone: import mode's given zip is checked on disk before any request. */
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { samplePackage } from '../../../sim/zip.js'
import { InputError } from '../../../src/shared/errors.js'
import type { ImportConfig } from '../../../src/workato/inputs.js'
import { checkGivenPackage } from '../../../src/workato/steps/package.js'
import { useInProcess } from '../in-process.js'

const steps = useInProcess()
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

async function given(bytes: Buffer | undefined, inputs: Record<string, string> = {}) {
  const file = path.join(steps.temp, 'given.zip')
  if (bytes) await writeFile(file, bytes)
  const { config, record } = steps.context({ mode: 'import', 'package-path': file, ...inputs })
  return { config: config as ImportConfig, record, file }
}

describe('checkGivenPackage', () => {
  test('a valid zip: its size, sha256 and assets are recorded, and no request is made', async () => {
    const bytes = samplePackage(['Sync accounts', 'Nightly export'])
    const { config, record, file } = await given(bytes)
    const pkg = await checkGivenPackage(config, record)
    expect(pkg).toMatchObject({ path: file, size: bytes.length, sha256: sha256(bytes) })
    expect(pkg.inventory?.filter(a => a.type === 'recipe').map(a => a.name)).toEqual([
      'Sync accounts',
      'Nightly export'
    ])
    expect(record.stage).toBe('check package')
    expect(steps.sim.requests).toEqual([])
  })

  test.each([
    ['no file', undefined, {}, "Input 'package-path' names no file"],
    ['not a zip', Buffer.from('<html>502</html>'), {}, "Input 'package-path' is not a valid zip"],
    [
      'over max-package-mb',
      Buffer.alloc(2 * 1024 * 1024, 1),
      { 'max-package-mb': '1' },
      'over max-package-mb (1.0 MiB); nothing was imported'
    ]
  ])('%s: an input error, before any request', async (_what, bytes, inputs, says) => {
    const { config, record } = await given(bytes, inputs)
    const error = await checkGivenPackage(config, record).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain(says)
    expect(steps.sim.requests).toEqual([])
  })

  test('package-sha256 that does not match: refused, with both digests, the package still recorded', async () => {
    const bytes = samplePackage()
    const { config, record } = await given(bytes, { 'package-sha256': 'a'.repeat(64) })
    await expect(checkGivenPackage(config, record)).rejects.toThrow(
      `has sha256 ${sha256(bytes)}, expected ${'a'.repeat(64)}. Nothing was imported.`
    )
    expect(record.package?.sha256).toBe(sha256(bytes))
  })
})
