/**
 * Hostile servers and a hostile file system, through the built action: hard deadlines, bounded
 * downloads, files that cannot be redirected, a snapshot that cannot land on the package.
 * Every test here is bounded: seconds of wall time, a few MB on disk.
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync } from 'node:fs'
import { mkdir, readFile, symlink } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID, SOURCE_TOKEN } from '../../sim/scenario.js'
import { makeZip, overlappingZip, samplePackage } from '../../sim/zip.js'
import { errorLines, hasStackTrace, leaks, useWorld } from './world.js'

const world = useWorld()

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
/** Files the run left in its temp folder and workspace, partial ones included. */
const leftovers = (dirs: string[]) =>
  dirs.flatMap(dir => readdirSync(dir, { recursive: true }).map(String))

describe('hard deadlines', () => {
  test('a status answer that trickles forever ends at wait-timeout, request aborted: timed-out', async () => {
    world.sim.exportScript = { ...world.sim.exportScript, runningChecks: 1 }
    world.sim.fault('status', { kind: 'trickle', ms: 200 })
    const run = await world.run({ 'wait-timeout': '3' })
    expect(run.code).toBe(1)
    expect(run.outputs.outcome).toBe('timed-out')
    expect(run.ms).toBeLessThan(8_000)
    expect(errorLines(run).pop()).toContain('(wait-timeout)')
    expect(hasStackTrace(run)).toBe(false)
  })

  test('a status check whose headers never come ends at wait-timeout too', async () => {
    world.sim.fault('status', { kind: 'hang', ms: 30_000 })
    const run = await world.run({ 'wait-timeout': '2' })
    expect(run.outputs.outcome).toBe('timed-out')
    expect(run.ms).toBeLessThan(7_000)
  })

  test('a Retry-After longer than what is left of wait-timeout is not waited for', async () => {
    world.sim.fault('status', {
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '100' }
    })
    const run = await world.run({ 'wait-timeout': '3' })
    expect(run.outputs.outcome).toBe('timed-out')
    expect(run.ms).toBeLessThan(7_000)
  })

  test('an export POST that trickles its answer is cut at the request deadline and not resent', async () => {
    world.sim.fault('export', { kind: 'trickle', ms: 100 })
    const run = await world.run({}, { env: { WORKATO_PROMOTE_REQUEST_DEADLINE_MS: '1500' } })
    expect(run.code).toBe(1)
    expect(run.ms).toBeLessThan(6_000)
    const error = errorLines(run).pop()
    expect(error).toContain('the request took longer than 2 s')
    expect(error).toContain('may have reached Workato, so it was not sent again')
    expect(world.sim.requests.filter(r => r.url === '/api/packages/export/12')).toHaveLength(1)
  })

  test('a JSON answer over 1 MiB is refused as too large, not called "not JSON"', async () => {
    world.sim.fault('status', { kind: 'big-json', bytes: 2 * 1024 * 1024 })
    const run = await world.run()
    expect(run.code).toBe(1)
    const error = errorLines(run).pop()
    expect(error).toContain(
      'is larger than 1 MiB (an answer the action expects to be a few KB); it was not read'
    )
    expect(error).not.toContain('not JSON')
  })
})

describe('bounded downloads', () => {
  test('an endless body without Content-Length is cut at max-package-mb; nothing is left on disk', async () => {
    world.sim.fault('storage', { kind: 'endless' })
    const run = await world.run({ 'max-package-mb': '2' })
    expect(run.code).toBe(1)
    expect(run.ms).toBeLessThan(10_000)
    const error = errorLines(run).pop()
    expect(error).toContain('kept coming, over max-package-mb (2.0 MiB)')
    expect(error).toContain('Workato documents 100.0 MiB as its import limit')
    expect(leftovers([run.runnerTemp, run.workspace])).toEqual([])
    expect(world.sim.importPosts).toEqual([])
  })

  test('a declared Content-Length over max-package-mb is refused before anything is written', async () => {
    world.sim.fault('storage', { kind: 'declare', length: 50 * 1024 * 1024 * 1024 })
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('declares 50.0 GiB, over max-package-mb (1.0 GiB)')
    expect(leftovers([run.runnerTemp, run.workspace])).toEqual([])
  })

  test('the API’s own /download lying about its length is blamed on it, not on the storage host', async () => {
    world.sim.downloadMode = 'direct'
    world.sim.fault('download', { kind: 'truncate' }, 5)
    const run = await world.run()
    expect(run.code).toBe(1)
    const error = errorLines(run).pop()
    expect(error).toContain("the API's download URL")
    expect(error).not.toContain('storage host')
  })

  test('a package to import larger than max-package-mb is refused before anything is sent', async () => {
    const big = Buffer.concat([samplePackage(), Buffer.alloc(2 * 1024 * 1024)])
    const run = await world.run(
      { mode: 'import', 'package-path': 'big.zip', 'max-package-mb': '1' },
      { files: { 'big.zip': big } }
    )
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringContaining("Input 'package-path' is 2.0 MiB, over max-package-mb (1.0 MiB)")
    ])
    expect(world.sim.importPosts).toEqual([])
  })
})

describe('files that cannot be redirected', () => {
  test('a symlink at package-path is replaced by the package, never written through', async () => {
    const run = await world.run(
      { 'package-path': 'out/release.zip' },
      {
        files: { 'precious.txt': 'not to be overwritten\n' },
        prepare: async ({ workspace }) => {
          await mkdir(path.join(workspace, 'out'))
          await symlink(
            path.join(workspace, 'precious.txt'),
            path.join(workspace, 'out/release.zip')
          )
        }
      }
    )
    expect(run.code).toBe(0)
    expect(await readFile(path.join(run.workspace, 'precious.txt'), 'utf8')).toBe(
      'not to be overwritten\n'
    )
    const published = path.join(run.workspace, 'out/release.zip')
    expect(lstatSync(published).isSymbolicLink()).toBe(false)
    expect(sha256(await readFile(published))).toBe(run.outputs['package-sha256'])
  })

  test('the partial file’s name cannot be predicted: links planted at the old names catch nothing', async () => {
    const run = await world.run(
      { 'package-path': 'out/release.zip' },
      {
        files: { 'precious.txt': 'not to be overwritten\n' },
        prepare: async ({ workspace }) => {
          await mkdir(path.join(workspace, 'out'))
          // the old scheme was .<name>.<pid>.partial: plant every pid the child could get
          const target = path.join(workspace, 'precious.txt')
          for (let pid = process.pid; pid < process.pid + 2000; pid++) {
            await symlink(target, path.join(workspace, `out/.release.zip.${pid}.partial`))
          }
        }
      }
    )
    expect(run.code).toBe(0)
    expect(await readFile(path.join(run.workspace, 'precious.txt'), 'utf8')).toBe(
      'not to be overwritten\n'
    )
  })
})

describe('the snapshot cannot land on the package', () => {
  test('package-path pkg/release-snapshot.zip with artifact-name release: the package is still what is imported', async () => {
    world.sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Old recipe'], 0) }
    const run = await world.run({
      'package-path': 'pkg/release-snapshot.zip',
      'artifact-name': 'release',
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID
    })
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
    const plan = JSON.parse(run.outputs.plan) as { added: string[] }
    expect(plan.added.length).toBeGreaterThan(0)
    expect(world.sim.imports).toHaveLength(1)
    expect(world.sim.imports[0].sha256).toBe(run.outputs['package-sha256'])
    expect(run.outputs['snapshot-sha256']).not.toBe(run.outputs['package-sha256'])
    const onDisk = await readFile(path.join(run.workspace, 'pkg/release-snapshot.zip'))
    expect(sha256(onDisk)).toBe(run.outputs['package-sha256'])
  })

  test('with skip-unchanged false, the package (not the target’s own snapshot) is sent', async () => {
    world.sim.workspace('prod').folderContents = { [FOLDER_ID]: samplePackage(['Old recipe'], 0) }
    const run = await world.run({
      'package-path': 'pkg/release-snapshot.zip',
      'artifact-name': 'release',
      'snapshot-manifest-id': SNAPSHOT_MANIFEST_ID,
      'skip-unchanged': 'false'
    })
    expect(run.code).toBe(0)
    expect(world.sim.imports[0].sha256).toBe(run.outputs['package-sha256'])
  })
})

describe('nothing secret, not even half of it', () => {
  test('a 401 body that echoes the token where the message is cut (after 200 characters of padding): no part of it is printed', async () => {
    world.sim.fault('export', {
      kind: 'status',
      status: 401,
      body: JSON.stringify({
        message: `${'x'.repeat(200)} Authorization: Bearer ${SOURCE_TOKEN} was refused`
      })
    })
    // world.run fails the test on any 12 characters of a token in the log, summary or outputs
    const run = await world.run()
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('Workato refused the source token (HTTP 401)')
  })

  test('a token with Markdown characters echoed into the summary is removed before escaping', async () => {
    const token = 'wrkprod_TARGET_with_under_scores_0123456789'
    world.sim.workspace('prod').token = token
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({ message: `Token ${token} may not import here; also "${token}"` })
    })
    const run = await world.run({ 'target-token': token })
    expect(run.code).toBe(1)
    expect(run.summary).toContain('may not import here')
    expect(leaks(run, world.sim, [token])).toEqual([])
  })

  test('a token pasted into the wrong input is not echoed: its length only', async () => {
    const token = 'a3f9c2e17b6d4058a3f9c2e17b6d4058a3f9c2e17b6d4058a3f9c2e17b6d4058'
    const run = await world.run({ 'manifest-id': token })
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'manifest-id' must be a positive integer (got a value of 64 characters, not shown)"
    ])
    expect(leaks(run, world.sim, [token])).toEqual([])
  })

  test('a short, harmless bad value is still shown whole', async () => {
    const run = await world.run({ 'poll-interval': 'soon' })
    expect(errorLines(run)).toEqual([
      '::error::Input \'poll-interval\' must be a whole number of seconds from 1 to 300 (got "soon")'
    ])
  })
})

describe('no links from outside in the release record', () => {
  test('URLs, www. names and e-mail addresses from Workato render as text under GFM; U+202E is dropped', async () => {
    const bait =
      'Sync https://evil.example.com/login www.evil.example.com help@evil.example.com \u202eexe.txt'
    world.sim.workspace('dev').manifests['12'] = samplePackage([bait])
    world.sim.fault('import', {
      kind: 'status',
      status: 400,
      body: JSON.stringify({
        message: `Refused: see http://phish.example.net or ops@phish.example.net`
      })
    })
    const run = await world.run()
    expect(run.code).toBe(1)
    const html = micromark(run.summary, {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()]
    })
    expect(html).toContain('<table>')
    // the only links are the ones the action makes: the target folder and the commit
    const hrefs = [...html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map(m => m[1])
    expect(hrefs).toEqual([
      `${world.sim.apiUrl}/recipes?fid=34`,
      'https://github.com/acme/workato-release/commit/3f1c2a9e8b7d6c5b4a39281706f5e4d3c2b1a098'
    ])
    expect(html.match(/<a\b/g)).toHaveLength(2)
    // the words are all still there to read
    const text = html.replace(/<[^>]+>/g, '')
    for (const word of [
      'https://evil.example.com/login',
      'www.evil.example.com',
      'help@evil.example.com',
      'http://phish.example.net',
      'ops@phish.example.net'
    ]) {
      expect(text).toContain(word)
    }
    expect(run.summary).not.toContain('\u202e')
  })
})

describe('zips that lie', () => {
  test('a thousand entries declaring 1 byte, all pointing at one 8 MiB entry: refused at once, nothing imported', async () => {
    const bomb = overlappingZip(1000, 8 * 1024 * 1024)
    expect(bomb.length).toBeLessThan(200 * 1024)
    const run = await world.run(
      { mode: 'import', 'package-path': 'bomb.zip' },
      { files: { 'bomb.zip': bomb } }
    )
    expect(run.code).toBe(1)
    expect(run.ms).toBeLessThan(5_000)
    expect(errorLines(run).pop()).toContain('The package cannot be listed safely: entries')
    expect(errorLines(run).pop()).toContain('overlap')
    expect(world.sim.importPosts).toEqual([])
  })

  test('one entry whose data inflates past its declared size: refused', async () => {
    const liar = overlappingZip(1, 1024 * 1024, 10)
    const run = await world.run(
      { mode: 'import', 'package-path': 'liar.zip' },
      { files: { 'liar.zip': liar } }
    )
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('inflates past its declared size')
    expect(world.sim.importPosts).toEqual([])
  })

  test('two entries with one name (the plan would compare one and Workato import the other): refused', async () => {
    const twice = makeZip([
      { name: 'Integrations/a.recipe.json', content: '{"name":"Shown to the plan"}' },
      { name: 'Integrations/a.recipe.json', content: '{"name":"Imported"}' }
    ])
    const run = await world.run(
      { mode: 'import', 'package-path': 'twice.zip' },
      { files: { 'twice.zip': twice } }
    )
    expect(run.code).toBe(1)
    expect(errorLines(run).pop()).toContain('it has two entries named "Integrations/a.recipe.json"')
    expect(world.sim.importPosts).toEqual([])
  })
})

describe('small ones', () => {
  test('an IPv6 base URL connects', async () => {
    await world.restart({ sim: { apiHost: '::1', apiName: '[::1]' } })
    expect(world.sim.apiUrl).toMatch(/^http:\/\/\[::1\]:\d+$/)
    const run = await world.run()
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe('succeeded')
  })

  test.each(['__proto__', 'constructor'])(
    'source-host %s is an input error, not "Unexpected error"',
    async host => {
      const run = await world.run({ 'source-host': host })
      expect(run.code).toBe(1)
      expect(errorLines(run)).toEqual([
        expect.stringContaining("::error::Input 'source-host' must be")
      ])
      expect(run.stdout + run.stderr).not.toContain('Unexpected error')
    }
  )

  test('a 300-character file name is an input error, not "Unexpected error: ENAMETOOLONG"', async () => {
    const run = await world.run({ 'package-path': `${'p'.repeat(300)}.zip` })
    expect(run.code).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'package-path' has a file or folder name longer than 255 bytes"
    ])
    expect(world.sim.requests).toEqual([])
  })
})
