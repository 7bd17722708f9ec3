import { describe, expect, test } from '@jest/globals'
import type { TorizonApi } from '../../src/torizon/api.js'
import {
  findPackages,
  packageIdOf,
  uploadPackage,
  type Release
} from '../../src/torizon/packages.js'

const release: Release = {
  name: 'acme-app',
  version: '1.4.0',
  hardwareIds: ['docker-compose'],
  targetFormat: 'BINARY'
}
const SENT = { sha256: 'a'.repeat(64), size: 130 }

/** An API that answers every call with `answer`: the parsing is what is tested. */
function answering(answer: Record<string, unknown>): TorizonApi {
  return {
    getJson: () => Promise.resolve(answer),
    upload: () => Promise.resolve({ answer, sent: SENT })
  } as unknown as TorizonApi
}

const pkg = (fields: Record<string, unknown>) => ({
  name: 'acme-app',
  version: '1.4.0',
  hashes: { sha256: 'A'.repeat(64) },
  hardwareIds: ['docker-compose'],
  ...fields
})
const upload = (answer: Record<string, unknown>) =>
  uploadPackage(answering(answer), release, { path: '/dev/null', size: 130 })
const list = (...values: Record<string, unknown>[]) =>
  findPackages(answering({ values, total: values.length }), release)

describe('package IDs', () => {
  test('the ID is always the release name-version, whether the answer gives it or not', async () => {
    expect(packageIdOf(release)).toBe('acme-app-1.4.0')
    expect((await upload(pkg({ packageId: 'acme-app-1.4.0' }))).stored.packageId).toBe(
      'acme-app-1.4.0'
    )
    expect((await upload(pkg({}))).stored).toMatchObject({
      packageId: 'acme-app-1.4.0',
      sha256: 'a'.repeat(64)
    })
    expect((await list(pkg({}))).map(p => p.packageId)).toEqual(['acme-app-1.4.0'])
  })

  test('an upload answer with another ID is refused, its ID shown on one line', async () => {
    await expect(
      upload(pkg({ packageId: 'acme-app-1.4.0\n::warning::x\r\u202e' }))
    ).rejects.toThrow(
      'Torizon Cloud\'s answer to the upload names the package "acme-app-1.4.0 ::warning::x", not ' +
        'acme-app-1.4.0, the name and version it was uploaded under: the answer cannot be trusted'
    )
    await expect(upload(pkg({ packageId: 'other-9' }))).rejects.toThrow(
      'names the package "other-9", not acme-app-1.4.0'
    )
  })

  test('an upload answer for another name or version is refused, even with the right ID', async () => {
    await expect(upload(pkg({ name: 'acme', packageId: 'acme-app-1.4.0' }))).rejects.toThrow(
      'names the package "acme-1.4.0", not acme-app-1.4.0'
    )
    await expect(upload(pkg({ version: '1.4.1' }))).rejects.toThrow(
      'names the package "acme-app-1.4.1", not acme-app-1.4.0'
    )
  })

  test('an ID that is not a string is refused, shown as JSON', async () => {
    await expect(upload(pkg({ packageId: 42 }))).rejects.toThrow('names the package "42"')
    await expect(upload(pkg({ packageId: null }))).rejects.toThrow('names the package "null"')
  })

  test('a listed package of this name and version under another ID is refused', async () => {
    await expect(list(pkg({ packageId: 'acme-app-1.4' }))).rejects.toThrow(
      'Torizon Cloud\'s list of packages names the package "acme-app-1.4", not acme-app-1.4.0, ' +
        'the name and version it was looked up by'
    )
  })

  test("other packages in the list are dropped whatever their IDs (Toradex's, listed beside)", async () => {
    const found = await list(
      pkg({ name: 'torizon-core-docker', packageId: 'anything\n::warning::' }),
      pkg({ packageId: 'acme-app-1.4.0' })
    )
    expect(found.map(p => p.packageId)).toEqual(['acme-app-1.4.0'])
  })
})
