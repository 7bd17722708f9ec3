/**
 * The Torizon action's whole run in process: idempotent re-runs, conflicts, roll-out, names that
 * stay data, refused credentials, the artifact, bad inputs. e2e/torizon-publish.test.ts runs a
 * publish through the bundle, for what only the bundle shows.
 */
import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { COMPOSE, FLEETS, useTorizon } from '../e2e/torizon-world.js'
import { errorLines, hasStackTrace, visibleLog } from '../e2e/world.js'

const world = useTorizon({ runner: 'in-process' })
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('torizon publish', () => {
  test('the same file again: already-published, exit 0, nothing stored twice', async () => {
    const first = await world.run()
    const again = await world.run()

    expect(first.outputs.outcome).toBe('published')
    expect(again.code).toBe(0)
    expect(again.outputs.outcome).toBe('already-published')
    expect(again.outputs['package-id']).toBe('acme-app-1.4.0')
    expect(world.sim.packages).toHaveLength(1)
    // found by its name and version first: the file is not sent again just to hear 409
    const uploads = world.sim.uploads()
    expect(uploads).toHaveLength(1)
    expect(again.summary).toContain('## ✅ Torizon package already published')
    expect(again.summary).toContain('found by name and version before uploading')
    expect(again.stdout).not.toMatch(/^::(error|warning)/m)
  })

  test('published by another build between the look-up and the upload: the 409 is settled by comparing', async () => {
    // the first look-up sees nothing; the other build's package is there when the upload arrives
    world.sim.fault('list', { kind: 'json', body: { values: [], total: 0, offset: 0, limit: 50 } })
    world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: COMPOSE })
    const run = await world.run()

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('already-published')
    expect(world.sim.packages).toHaveLength(1)
    expect(run.summary).toContain('the upload was refused as a duplicate (409)')
    expect(world.sim.pendingFaults()).toBe(0)
  })

  test('a 409 with other bytes there: fails, never taken as success', async () => {
    world.sim.fault('list', { kind: 'json', body: { values: [], total: 0, offset: 0, limit: 50 } })
    world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: Buffer.from('other\n') })
    const run = await world.run()

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run)[0]).toContain('exists with different content')
    expect(world.sim.requests.filter(r => r.host === 'api' && r.method === 'POST')).toHaveLength(1)
  })

  test('other bytes under a published version: fails and says to publish a new version', async () => {
    const earlier = Buffer.from('services: {}\n')
    world.sim.seed({ name: 'acme-app', version: '1.4.0', bytes: earlier })
    const run = await world.run()

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(errorLines(run)).toEqual([
      `::error::Version 1.4.0 of acme-app exists with different content (sha256 ${sha256(earlier)}, yours ${sha256(COMPOSE)}): publish a new version. Torizon packages cannot be changed once published.`
    ])
    expect(world.sim.packages).toHaveLength(1)
    expect(world.sim.packages[0]?.bytes.equals(earlier)).toBe(true)
    expect(world.sim.requests.filter(r => r.host === 'api' && r.method === 'POST')).toEqual([])
    expect(run.summary).toContain('## ❌ Torizon publish failed')
  })

  test('the same bytes for other hardware: fails, naming both lists', async () => {
    world.sim.seed({
      name: 'acme-app',
      version: '1.4.0',
      bytes: COMPOSE,
      hardwareIds: ['verdin-imx8mp']
    })
    const run = await world.run()

    expect(run.code).toBe(1)
    expect(errorLines(run)[0]).toContain(
      'exists with the same content but for hardware IDs verdin-imx8mp (yours docker-compose): publish a new version'
    )
  })

  test('rolls out to the fleets given, once published', async () => {
    const run = await world.run({ 'fleet-id': `${FLEETS[0]},\n${FLEETS[1].toUpperCase()}` })

    expect(run.code).toBe(0)
    expect(world.sim.updates).toEqual([{ packageIds: ['acme-app-1.4.0'], fleets: FLEETS }])
    expect(JSON.parse(run.outputs['update-fleets'] ?? 'null')).toEqual(FLEETS)
    expect(run.summary).toContain('### Rolled out to 2 fleets')
    for (const fleet of FLEETS) expect(run.summary).toContain(fleet)
    expect(run.outputs['devices-affected']).toBe('4')
    expect(run.outputs['devices-not-affected']).toBe('[]')
    expect(run.summary).toContain('### Devices: 4 took the update, 0 did not')
  })

  test('a re-run of a roll-out that went through: succeeds, says the devices already had it, assigns nothing new', async () => {
    const first = await world.run({ 'fleet-id': FLEETS[0] })
    const again = await world.run({ 'fleet-id': FLEETS[0] })

    expect(first.outputs['devices-already-assigned']).toBe('0')
    expect(again.code).toBe(0)
    expect(again.outputs.outcome).toBe('already-published')
    expect(again.outputs['devices-affected']).toBe('0')
    expect(again.outputs['devices-already-assigned']).toBe('2')
    expect(again.outputs['devices-not-affected']).toBe('[]')
    expect(again.stdout).not.toMatch(/^::(error|warning)/m)
    expect(again.summary).toContain(
      '### Devices: 0 took the update, 0 did not, 2 already had it assigned'
    )
    // no device took it this time: the only table of devices is of those already assigned
    expect(again.summary).toContain(
      '| Verdin 2 of 0b1f6a52 (verdin-0b1f-2) | `0b1f6a52-device-2` |'
    )
    expect(again.summary).toContain('_A re-run assigns the package again:')
  })

  test("the newest spec's /api/v2 as api-url: every call goes there, the roll-out as in v2beta", async () => {
    const run = await world.run({
      'api-url': `${world.sim.apiUrl}/api/v2`,
      'fleet-id': FLEETS.join(',')
    })

    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('published')
    expect(run.outputs['devices-affected']).toBe('4')
    const api = world.sim.requests.filter(r => r.host === 'api').map(r => `${r.method} ${r.path}`)
    expect(api).toEqual(['GET /api/v2/packages', 'POST /api/v2/packages', 'POST /api/v2/updates'])
    // v2 deprecates `fleets` for a path it does not describe yet: the documented body is still sent
    expect(world.sim.updates).toEqual([{ packageIds: ['acme-app-1.4.0'], fleets: FLEETS }])
  })

  test('devices that did not take it: the output and the summary name each, with the reason', async () => {
    world.sim.devices[FLEETS[0]] = [
      { deviceUuid: 'd-1', deviceId: 'verdin-1', name: 'Verdin 1' },
      { deviceUuid: 'd-2', deviceId: 'verdin-2', name: 'Verdin <b>2</b>', pending: true }
    ]
    const run = await world.run({ 'fleet-id': FLEETS[0] })

    expect(run.code).toBe(0)
    expect(run.outputs['devices-affected']).toBe('1')
    expect(JSON.parse(run.outputs['devices-not-affected'] ?? 'null')).toEqual([
      {
        device: 'Verdin <b>2</b> (verdin-2)',
        uuid: 'd-2',
        reasons: [
          'verdin-2-ecu: update_already_pending (An update is already assigned to this ECU)'
        ]
      }
    ])
    expect(run.summary).toContain('### Devices: 1 took the update, 1 did not')
    // a device's name is the server's: escaped in the table, never HTML
    expect(run.summary).toContain(
      '| Verdin &lt;b&gt;2&lt;/b&gt; (verdin-2) | verdin-2-ecu\\: update\\_already\\_pending'
    )
    expect(run.summary).not.toContain('<b>2</b>')
  })

  test('no device took it: failed, the package still published, the devices listed', async () => {
    world.sim.devices[FLEETS[0]] = [
      { deviceUuid: 'd-1', deviceId: 'verdin-1', name: 'Verdin 1', hardwareId: 'verdin-imx8mm' }
    ]
    const run = await world.run({ 'fleet-id': FLEETS[0] })

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(run.outputs['devices-affected']).toBe('0')
    expect(errorLines(run)[0]).toContain(
      'acme-app-1.4.0 is on Torizon Cloud (published), but: 0 of 1 device took the update'
    )
    expect(run.summary).toContain('### Devices: 0 took the update, 1 did not')
  })

  test('a roll-out Torizon refuses: failed, and the message says the package is published', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555'
    const run = await world.run({ 'fleet-id': unknown })

    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('failed')
    expect(run.outputs['update-fleets']).toBe('[]')
    const [error] = errorLines(run)
    expect(error).toContain('acme-app-1.4.0 is on Torizon Cloud (published), but:')
    // Torizon's error id is a UUID, kept whole for support
    expect(error).toMatch(
      /Torizon Cloud has no such resource for the roll-out of acme-app-1\.4\.0 to 1 fleet \(HTTP 404\): "Fleet not found \[missing_entity\] \(error id [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\)"/
    )
    expect(error).toContain('Check fleet-id')
  })

  test('hostile names: an & in the version, a / in the name, spaces in hardware IDs stay data', async () => {
    const run = await world.run({
      'package-name': 'team/app',
      'package-version': '1.0&hardwareId=evil&name=x',
      'hardware-id': 'verdin imx8mp , apalis imx6\n'
    })

    expect(run.code).toBe(0)
    expect(world.sim.packages).toHaveLength(1)
    expect(world.sim.packages[0]).toMatchObject({
      name: 'team/app',
      version: '1.0&hardwareId=evil&name=x',
      hardwareIds: ['verdin imx8mp', 'apalis imx6']
    })
    const upload = world.sim.uploads()[0]
    expect(upload?.query.getAll('name')).toEqual(['team/app'])
    expect(run.outputs['package-id']).toBe('team/app-1.0&hardwareId=evil&name=x')
    // and a re-run with them finds the package by its exact name and version
    const again = await world.run({
      'package-name': 'team/app',
      'package-version': '1.0&hardwareId=evil&name=x',
      'hardware-id': 'apalis imx6, verdin imx8mp'
    })
    expect(again.outputs.outcome).toBe('already-published')
  })

  test('a refused client secret: one error naming client-id and client-secret, nothing sent to the API', async () => {
    const run = await world.run({ 'client-secret': 'tzs_Wrong9Secret8Value7For6The5Test4' })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      '::error::The token endpoint refused the client credentials (HTTP 401): "unauthorized_client: Invalid client or Invalid client credentials". Check client-id and client-secret (an API client of your Torizon Cloud account) and token-url.'
    ])
    expect(world.sim.requests.filter(r => r.host === 'api')).toEqual([])
    expect(visibleLog(run)).not.toContain('Wrong9Secret')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('keeps the published file as an artifact when asked', async () => {
    const run = await world.run({ 'upload-artifact': 'true' })

    expect(run.code).toBe(0)
    const kept = world.artifacts.artifacts.filter(a => a.finalized)
    expect(kept.map(a => a.name)).toEqual(['torizon-package-acme-app-1.4.0'])
    expect(run.summary).toContain('| Artifact | torizon-package-acme-app-1.4.0')
  })

  test('bad inputs: one error line each, before any request', async () => {
    const run = await world.run({
      'api-url': 'http://app.torizon.io/api/v2beta',
      'package-name': '',
      'fleet-id': 'production',
      'target-format': 'BINARY; rm -rf',
      'package-path': 'missing.yml'
    })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'api-url' must use https:// (plain http:// only for loopback hosts)",
      "::error::Input 'package-name' is required",
      "::error::Input 'target-format' must be BINARY, the format of a file upload (the default)",
      "::error::Input 'fleet-id' must be fleet UUIDs (from the fleet page), separated by commas"
    ])
    expect(world.sim.requests).toEqual([])
  })

  test('a package-path with no file: one error, nothing sent', async () => {
    const run = await world.run({ 'package-path': 'build/missing.yml' })

    expect(run.code).toBe(1)
    expect(errorLines(run)).toHaveLength(1)
    expect(errorLines(run)[0]).toMatch(
      /Input 'package-path' names no file: .*build\/missing\.yml\. Nothing was published\./
    )
    expect(world.sim.requests).toEqual([])
    expect(run.outputs.outcome).toBe('failed')
  })
})
