/**
 * Hostile servers and a hostile file system, the whole action in process: hard deadlines, bounded
 * downloads, files that cannot be redirected, a snapshot that cannot land on the package.
 * Every test here is bounded: seconds of wall time, a few MB on disk. A token echoed back, scanned
 * for on a real process's stdout and stderr, stays in e2e/hardening.
 */
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync } from 'node:fs'
import { mkdir, readFile, symlink } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { FOLDER_ID, SNAPSHOT_MANIFEST_ID } from '../../sim/scenario.js'
import { makeZip, overlappingZip, samplePackage } from '../../sim/zip.js'
import { LAST_CHECK_GRACE_MS } from '../../src/shared/wait.js'
import { errorLines, hasStackTrace, leaks, useWorld } from '../e2e/world.js'
import { item } from '../checked.js'
import { jsonOutput, output } from '../e2e/run-values.js'

const world = useWorld({ runner: 'in-process' })

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
/**
 * How much later than its timers say a run may end on a loaded machine. In process, run.ms holds
 * no process start or bundle load, so all of it is for timers firing late.
 */
const TIMER_SLACK_MS = 3_000
/** The export's status checks the simulator saw. */
const statusChecks = () => world.sim.requests.filter(r => r.url === '/api/packages/240').length
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
    // ended by the wait's own deadline (3 s, and the grace its last check has), not by the run's
    // overall limit, and the check it aborted was not sent again
    expect(run.ms).toBeLessThan(3_000 + LAST_CHECK_GRACE_MS + TIMER_SLACK_MS)
    expect(errorLines(run).pop()).toContain('(wait-timeout)')
    expect(statusChecks()).toBe(1)
    expect(hasStackTrace(run)).toBe(false)
  })

  test('a status check whose headers never come ends at wait-timeout too', async () => {
    world.sim.fault('status', { kind: 'hang', ms: 30_000 })
    const run = await world.run({ 'wait-timeout': '2' })
    expect(run.outputs.outcome).toBe('timed-out')
    expect(run.ms).toBeLessThan(2_000 + LAST_CHECK_GRACE_MS + TIMER_SLACK_MS)
    expect(errorLines(run).pop()).toContain('(wait-timeout)')
    expect(statusChecks()).toBe(1)
  })

  test('a Retry-After longer than what is left of wait-timeout is not waited for', async () => {
    world.sim.fault('status', {
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '100' }
    })
    const run = await world.run({ 'wait-timeout': '3' })
    expect(run.outputs.outcome).toBe('timed-out')
    // given up at once: neither the 100 s nor the 3 s left were slept, and nothing was asked again
    expect(run.ms).toBeLessThan(3_000)
    expect(statusChecks()).toBe(1)
  })

  test('an export POST that trickles its answer is cut at the request deadline and not resent', async () => {
    world.sim.fault('export', { kind: 'trickle', ms: 100 })
    const run = await world.run({}, { env: { WORKATO_PROMOTE_REQUEST_DEADLINE_MS: '1500' } })
    expect(run.code).toBe(1)
    expect(run.ms).toBeLessThan(1_500 + TIMER_SLACK_MS)
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
    // 2 MiB from a local host takes a fraction of a second: fifty times that
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
          // the old scheme was .<name>.<pid>.partial: plant every pid a child could get, this
          // process's own (the run's, in process) first
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
    const plan = jsonOutput(run, 'plan') as { added: string[] }
    expect(plan.added.length).toBeGreaterThan(0)
    expect(world.sim.imports).toHaveLength(1)
    const packageSha256 = output(run, 'package-sha256')
    expect(item(world.sim.imports, 0).sha256).toBe(packageSha256)
    expect(output(run, 'snapshot-sha256')).not.toBe(packageSha256)
    const onDisk = await readFile(path.join(run.workspace, 'pkg/release-snapshot.zip'))
    expect(sha256(onDisk)).toBe(packageSha256)
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
    expect(item(world.sim.imports, 0).sha256).toBe(output(run, 'package-sha256'))
  })
})

describe('nothing secret, not even half of it', () => {
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
    // refused from the zip's directory alone, in tens of milliseconds; inflating 8 GB would not be
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
