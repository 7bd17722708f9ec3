/**
 * The publish step in process, against the Torizon simulator: what it records, what it sends
 * (the simulator's request log), and the exact words of each failure. A 409 or a lost answer is
 * settled by looking the version up, never by assuming.
 */
import { createHash } from 'node:crypto'
import { truncate, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { ActionError } from '../../../src/shared/errors.js'
import { MayHaveArrived, TorizonErrorAnswer } from '../../../src/torizon/errors.js'
import { publish } from '../../../src/torizon/steps/publish.js'
import { COMPOSE } from '../../e2e/torizon-world.js'
import { failure, useSteps } from '../step-world.js'

const steps = useSteps()
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const SHA = sha256(COMPOSE)

const LOOK_UP = 'api GET /api/v2beta/packages?name=acme-app&version=1.4.0&offset=0&limit=50'
const UPLOAD =
  'api POST /api/v2beta/packages?name=acme-app&version=1.4.0&targetFormat=BINARY&hardwareId=docker-compose'
const TOKEN = 'auth POST /auth/realms/ota-users/protocol/openid-connect/token'
/** The first look-up sees nothing: another build publishes before this one's upload arrives. */
const EMPTY_LIST = { kind: 'json', body: { values: [], total: 0, offset: 0, limit: 50 } } as const
const CONFLICT = '{"code":"conflicting_entity","msg":"Entity already exists","errorId":"e-1"}'

/** The publish step of a default config, its file checked; the record it leaves. */
async function published(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const config = steps.config(inputs)
  const record = await steps.checked(config)
  await publish(steps.api(config, env), config, record)
  return record
}

async function refused(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const config = steps.config(inputs)
  const record = await steps.checked(config)
  const error = await failure(publish(steps.api(config, env), config, record))
  return { record, error }
}

describe('a version not there yet', () => {
  test('looked up, then uploaded once: the stored package in the record', async () => {
    const record = await published()

    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD])
    const [stored] = steps.sim.packages
    expect(stored?.bytes.equals(COMPOSE)).toBe(true)
    const upload = steps.sim.uploads()[0]
    expect(upload).toMatchObject({
      contentType: 'application/octet-stream',
      contentLength: String(COMPOSE.length),
      authorization: `Bearer ${steps.sim.issued[0]}`
    })
    expect(record).toMatchObject({
      stage: 'upload',
      sent: { sha256: SHA, size: COMPOSE.length },
      package: {
        packageId: 'acme-app-1.4.0',
        name: 'acme-app',
        version: '1.4.0',
        size: COMPOSE.length,
        sha256: SHA,
        hardwareIds: ['docker-compose'],
        createdAt: stored?.createdAt
      },
      published: 'published'
    })
    expect(record.howKnown).toBeUndefined()
    expect(steps.log).toContain(
      `Published acme-app-1.4.0: Torizon Cloud holds sha256 ${SHA}, the file's.`
    )
  })

  test('each hardware ID its own hardwareId parameter, the target format in capitals', async () => {
    const record = await published({
      'hardware-id': 'verdin-imx8mp, apalis-imx6',
      'target-format': 'binary'
    })

    expect(steps.requests().at(-1)).toBe(
      'api POST /api/v2beta/packages?name=acme-app&version=1.4.0&targetFormat=BINARY&hardwareId=verdin-imx8mp&hardwareId=apalis-imx6'
    )
    expect(steps.sim.packages[0]).toMatchObject({
      targetFormat: 'BINARY',
      hardwareIds: ['verdin-imx8mp', 'apalis-imx6']
    })
    expect(record.published).toBe('published')
  })
})

describe('a version already there', () => {
  test('the same bytes and hardware IDs: already-published, the file not sent', async () => {
    steps.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
    const record = await published()

    expect(steps.requests()).toEqual([TOKEN, LOOK_UP])
    expect(record).toMatchObject({
      stage: 'look-up',
      package: { packageId: 'acme-app-1.4.0', sha256: SHA },
      published: 'already-published',
      howKnown: 'found by name and version before uploading, with the same sha256 and hardware IDs'
    })
    expect(record.sent).toBeUndefined()
    expect(steps.log).toContain(
      `Version 1.4.0 of acme-app is on Torizon Cloud with the same sha256 (${SHA}) and hardware IDs: already-published.`
    )
  })

  test('the same hardware IDs in another order: the same release', async () => {
    steps.sim.seed({
      name: 'acme-app',
      version: '1.4.0',
      bytes: COMPOSE,
      hardwareIds: ['apalis-imx6', 'verdin-imx8mp']
    })
    const record = await published({ 'hardware-id': 'verdin-imx8mp\napalis-imx6' })

    expect(record.published).toBe('already-published')
    expect(steps.sim.uploads()).toEqual([])
  })

  test('other bytes: fails, says to publish a new version, nothing sent', async () => {
    const earlier = Buffer.from('services: {}\n')
    steps.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: earlier })
    const { record, error } = await refused()

    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      `Version 1.4.0 of acme-app exists with different content (sha256 ${sha256(earlier)}, yours ${SHA}): ` +
        'publish a new version. Torizon packages cannot be changed once published.'
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP])
    expect(record.package).toMatchObject({ packageId: 'acme-app-1.4.0', sha256: sha256(earlier) })
    expect(record.published).toBeUndefined()
  })

  test('the same bytes for other hardware: fails, naming both lists', async () => {
    steps.sim.seed({
      name: 'acme-app',
      version: '1.4.0',
      bytes: COMPOSE,
      hardwareIds: ['verdin-imx8mp']
    })
    const { record, error } = await refused()

    expect(error.message).toBe(
      'Version 1.4.0 of acme-app exists with the same content but for hardware IDs verdin-imx8mp ' +
        '(yours docker-compose): publish a new version, or set hardware-id to match the published one.'
    )
    expect(steps.sim.uploads()).toEqual([])
    expect(record.published).toBeUndefined()
  })
})

describe('a 409 to the upload: settled by looking the version up again', () => {
  test('the same bytes there: already-published, known from the 409', async () => {
    steps.sim.fault('list', EMPTY_LIST)
    steps.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
    const record = await published()

    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(steps.sim.packages).toHaveLength(1)
    expect(record).toMatchObject({
      stage: 'check upload',
      published: 'already-published',
      howKnown:
        'the upload was refused as a duplicate (409); the version holds the same sha256 and hardware IDs'
    })
  })

  test('other bytes there: fails, never taken as success', async () => {
    steps.sim.fault('list', EMPTY_LIST)
    const other = Buffer.from('other\n')
    steps.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: other })
    const { record, error } = await refused()

    expect(error.message).toBe(
      `Version 1.4.0 of acme-app exists with different content (sha256 ${sha256(other)}, yours ${SHA}): ` +
        'publish a new version. Torizon packages cannot be changed once published.'
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(record.published).toBeUndefined()
  })

  test('a version the list does not show: fails, assumes nothing, sends nothing again', async () => {
    steps.sim.fault('upload', { kind: 'status', status: 409, body: CONFLICT })
    const { record, error } = await refused()

    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      'Torizon Cloud answered 409 to the upload (Entity already exists [conflicting_entity] (error id e-1)), ' +
        'which means version 1.4.0 of acme-app exists, but its list of packages does not show it. Nothing ' +
        'was compared, so nothing is assumed: check the package in Torizon Cloud, or publish a new version.'
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(record.stage).toBe('check upload')
    expect(record.package).toBeUndefined()
    expect(record.published).toBeUndefined()
  })

  test('a 409 without words: "a conflict"', async () => {
    steps.sim.fault('upload', { kind: 'status', status: 409, body: '{}' })
    const { error } = await refused()

    expect(error.message).toMatch(/^Torizon Cloud answered 409 to the upload \(a conflict\), which/)
  })
})

describe('an answer lost after the body went out: settled by looking the version up', () => {
  test('Torizon stored it: published, known from the look-up, not sent again', async () => {
    steps.sim.loseAnswers = 1
    const record = await published()

    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(steps.sim.packages).toHaveLength(1)
    expect(record).toMatchObject({
      stage: 'check upload',
      published: 'published',
      package: { packageId: 'acme-app-1.4.0', sha256: SHA },
      howKnown:
        "the upload's answer was lost; the version now holds the same sha256 and hardware IDs"
    })
  })

  test('a 500 and nothing stored: sent again, with a warning saying why', async () => {
    steps.sim.fault('upload', {
      kind: 'status',
      status: 500,
      body: '{"code":"internal","msg":"boom"}'
    })
    const record = await published()

    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP, UPLOAD])
    expect(steps.log).toContain(
      '::warning::Torizon Cloud answered HTTP 500 to the upload of version 1.4.0 of acme-app (130 B): ' +
        '"boom [internal]". Torizon Cloud does not list version 1.4.0 of acme-app, so the file is sent ' +
        'again (upload 2 of 3).\n'
    )
    // the second upload's own answer: no look-up needed to know
    expect(record).toMatchObject({ stage: 'upload', published: 'published' })
    expect(record.howKnown).toBeUndefined()
  })

  test('reset every time: three uploads, each looked up after, then the reset as the failure', async () => {
    steps.sim.fault('upload', { kind: 'reset' }, 3)
    const { record, error } = await refused()

    expect(steps.requests()).toEqual([
      TOKEN,
      LOOK_UP,
      UPLOAD,
      LOOK_UP,
      UPLOAD,
      LOOK_UP,
      UPLOAD,
      LOOK_UP
    ])
    expect(error).toBeInstanceOf(MayHaveArrived)
    expect(error.message).toBe(
      'The upload of version 1.4.0 of acme-app (130 B) failed: the connection was reset. The request ' +
        'may have reached Torizon Cloud, so it was not sent again.'
    )
    expect(steps.log.match(/^::warning::/gm)).toHaveLength(2)
    expect(steps.log).toContain('so the file is sent again (upload 3 of 3).')
    expect(record.published).toBeUndefined()
  })

  test('the look-up fails too: the failure says a re-run is safe', async () => {
    steps.sim.fault('upload', { kind: 'reset' })
    steps.sim
      .fault('list', EMPTY_LIST)
      .fault('list', { kind: 'status', status: 500, body: '{"code":"internal","msg":"down"}' }, 5)
    // the look-up's five tries back off on the scaled clock
    const { record, error } = await refused({}, { TORIZON_PUBLISH_CLOCK_SCALE: '0.02' })

    expect(error.message).toBe(
      'The upload of version 1.4.0 of acme-app (130 B) failed: the connection was reset. The request may ' +
        'have reached Torizon Cloud, so it was not sent again. Whether it arrived could not be checked: ' +
        'Torizon Cloud answered HTTP 500 to the look-up of version 1.4.0 of acme-app after 5 tries: ' +
        '"down [internal]". Try again later. Re-running the job is safe: a package that arrived is ' +
        'found by its sha256 and reported as already published.'
    )
    expect(steps.sim.uploads()).toHaveLength(1)
    expect(steps.sim.pendingFaults()).toBe(0)
    expect(record.stage).toBe('check upload')
  })
})

describe("the upload's own answer", () => {
  const answer = (fields: Record<string, unknown>) => ({
    kind: 'json' as const,
    body: {
      name: 'acme-app',
      version: '1.4.0',
      packageId: 'acme-app-1.4.0',
      hardwareIds: ['docker-compose'],
      ...fields
    }
  })

  test.each([
    [
      'another sha256',
      { size: 130, hashes: { sha256: '0'.repeat(64) } },
      `with sha256 ${'0'.repeat(64)} and 130 bytes`
    ],
    ['no sha256 or size', {}, 'with sha256 (none given) and an unknown number of bytes']
  ])('%s: the upload is not trusted', async (_what, fields, stored) => {
    steps.sim.fault('upload', answer(fields))
    const { record, error } = await refused()

    expect(error).toBeInstanceOf(ActionError)
    expect(error.message).toBe(
      `Torizon Cloud stored acme-app-1.4.0 ${stored}, but the file has sha256 ${SHA} and 130 bytes: ` +
        'the upload cannot be trusted. Check the package in Torizon Cloud before rolling it out.'
    )
    expect(record.package).toMatchObject({ packageId: 'acme-app-1.4.0' })
    expect(record.published).toBeUndefined()
    expect(steps.sim.uploads()).toHaveLength(1)
  })

  test('the file changed after it was checked: what was sent is named, and not published', async () => {
    const config = steps.config()
    const record = await steps.checked(config)
    const changed = Buffer.from(COMPOSE.toString('utf8').replace('app:', 'api:'))
    await writeFile(path.join(steps.workspace, 'docker-compose.yml'), changed)
    const error = await failure(publish(steps.api(config), config, record))

    expect(error.message).toBe(
      `${path.join(steps.workspace, 'docker-compose.yml')} changed while it was uploaded (sha256 ` +
        `${sha256(changed)} sent, ${SHA} when checked): Torizon Cloud now holds the bytes that were sent ` +
        'as acme-app-1.4.0. Make sure nothing writes the file during the publish step; publish a new version.'
    )
    expect(steps.sim.packages[0]?.bytes.equals(changed)).toBe(true)
    expect(record.sent).toEqual({ sha256: sha256(changed), size: COMPOSE.length })
    expect(record.package).toMatchObject({ sha256: sha256(changed) })
    expect(record.published).toBeUndefined()
  })
})

describe('refusals retrying cannot help', () => {
  const OFFLINE =
    "Torizon Cloud's repository server answers 412 when the repository's signing keys are offline, " +
    'as Toradex recommends for production. The API can only publish to a repository it signs online: ' +
    "publish this package with `torizoncore-builder platform push` and the account's credentials.zip, " +
    'which sign on your machine. Retrying will not help; nothing was published.'

  test('412, the targets keys offline: one upload, what it means and what to use instead', async () => {
    steps.sim.offlineKeys = true
    const { record, error } = await refused()

    expect(error).toBeInstanceOf(TorizonErrorAnswer)
    const said = (error as TorizonErrorAnswer).said ?? ''
    expect(said).toMatch(
      /^The targets key\(s\) for this repo are offline \[role_keys_not_found\] \(error id [0-9a-f-]{36}\)$/
    )
    expect(error).toMatchObject({ status: 412 })
    expect(error.message).toBe(
      `Torizon Cloud refused the upload of version 1.4.0 of acme-app (130 B) (HTTP 412): "${said}": ${OFFLINE}`
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD])
    expect(steps.sim.packages).toEqual([])
    expect(record.stage).toBe('upload')
    expect(record.published).toBeUndefined()
  })

  test('412 in words a gateway chose: the status is what is read, the words quoted as given', async () => {
    steps.sim.fault('upload', {
      kind: 'status',
      status: 412,
      body: '{"msg":"Precondition Failed"}'
    })
    const { error } = await refused()

    expect(error.message).toBe(
      `Torizon Cloud refused the upload of version 1.4.0 of acme-app (130 B) (HTTP 412): "Precondition Failed": ${OFFLINE}`
    )
    expect(steps.sim.uploads()).toHaveLength(1)
  })

  test('413, over the size limit: refused before the body is read, said with the size, not resent', async () => {
    steps.sim.maxUploadBytes = 100
    const { record, error } = await refused()

    expect(error).toMatchObject({ status: 413 })
    expect(error.message).toMatch(
      /^Torizon Cloud refused the upload of version 1\.4\.0 of acme-app \(130 B\) \(HTTP 413\): "The request entity is larger than 100 bytes \[request_entity_too_large\] \(error id [0-9a-f-]{36}\)": the file \(130 B\) is over the largest upload Torizon Cloud takes \(its repository server's default is about 512 MiB, and the v2beta API offers no multipart upload\)\. Make the package smaller; retrying will not help\.$/
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD])
    expect(record.published).toBeUndefined()
  })

  test('598, the upload outlived the server’s time limit: looked up, not sent again', async () => {
    steps.sim.uploadTimeoutMs = 50
    steps.sim.uploadChunkDelayMs = 200
    const { record, error } = await refused()

    expect(error).toMatchObject({ status: 598 })
    expect(error.message).toMatch(
      /^Torizon Cloud refused the upload of version 1\.4\.0 of acme-app \(130 B\) \(HTTP 598\): ".*\[request_timeout\].*": Torizon Cloud stopped waiting for the file \(130 B\): its repository server gives one upload about 60 s by default, so the link must carry the whole file within that\. Publish a smaller file, or from a runner with a faster link to Torizon Cloud\.$/
    )
    // it may have landed: looked up once, and nothing sent again
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(record.published).toBeUndefined()
  })
})

describe('a file over the repository server’s size limit, at that size', () => {
  // A sparse file: 513 MiB on the wire, a few blocks on disk.
  async function big(): Promise<string> {
    const file = path.join(steps.workspace, 'big.bin')
    await writeFile(file, '')
    await truncate(file, 513 * 1024 * 1024)
    return file
  }
  const WARNING = (file: string) =>
    `::warning::${file} is 513.0 MiB, over the 512 MiB that Torizon Cloud's repository server takes ` +
    'in one upload by default: it may refuse it (HTTP 413).\n'

  test('answered 413: warned before the upload, then the 413 named; the file sent once', async () => {
    const file = await big()
    const { record, error } = await refused({ 'package-path': file })

    expect(steps.log).toContain(WARNING(file))
    expect(error).toMatchObject({ status: 413 })
    expect(error.message).toContain('the file (513.0 MiB) is over the largest upload')
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD])
    expect(record.published).toBeUndefined()
  }, 30_000)

  test('the connection cut instead: looked up once, not sent again, the size named as the likely cause', async () => {
    steps.sim.oversize = 'cut'
    const file = await big()
    const { record, error } = await refused({ 'package-path': file })

    expect(steps.log).toContain(WARNING(file))
    expect(error.message).toMatch(
      /^The upload of version 1\.4\.0 of acme-app \(513\.0 MiB\) failed: .+\. The request may have reached Torizon Cloud, so it was not sent again\. The file \(513\.0 MiB\) is over the 512 MiB Torizon Cloud's repository server takes in one upload by default, and a server refusing a body that large may close the connection instead of answering 413: it was not sent again\. Make the package smaller\.$/
    )
    expect(steps.requests()).toEqual([TOKEN, LOOK_UP, UPLOAD, LOOK_UP])
    expect(record.published).toBeUndefined()
  }, 30_000)
})
