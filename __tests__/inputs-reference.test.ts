/**
 * docs/inputs.md is what scripts/inputs-reference.ts makes of action.yml and torizon/action.yml,
 * and what it claims beyond them is what parseInputs does: an input "required in" a mode is
 * refused empty there, one not required is not, and a mode that does not use an input refuses
 * the values the parser says would silently do nothing.
 */
import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { parse } from 'yaml'
import {
  formatted,
  inputsReference,
  INPUTS_MD,
  MODES,
  TORIZON_REQUIRED,
  WORKATO_MODES
} from '../scripts/inputs-reference.js'
import { readActionYml, runnerInputs } from '../sim/runner.js'
import { parseInputs, type Mode } from '../src/workato/inputs.js'
import { parseInputs as parseTorizonInputs } from '../src/torizon/inputs.js'
import { group } from './checked.js'

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..'
)
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}
const action = parse(read('action.yml')) as ActionYml
const torizon = parse(read('torizon/action.yml')) as ActionYml
const inputs = Object.keys(action.inputs)

const env = { RUNNER_TEMP: '/tmp', GITHUB_WORKSPACE: '/tmp' }
const workatoDefaults = runnerInputs(readActionYml(root).inputs, {})
const torizonDefaults = runnerInputs(readActionYml(path.join(root, 'torizon')).inputs, {})

/** The fewest inputs each mode runs with; the rest are the runner's defaults. */
const MINIMAL: Record<Mode, Record<string, string>> = {
  promote: {
    mode: 'promote',
    'source-token': 'src',
    'target-token': 'tgt',
    'manifest-id': '12',
    'folder-id': '34'
  },
  export: { mode: 'export', 'source-token': 'src', 'manifest-id': '12' },
  import: {
    mode: 'import',
    'target-token': 'tgt',
    'folder-id': '34',
    'package-path': 'package.zip'
  },
  plan: {
    mode: 'plan',
    'source-token': 'src',
    'target-token': 'tgt',
    'manifest-id': '12',
    snapshot: 'true',
    'folder-id': '34'
  },
  deploy: { mode: 'deploy', 'source-token': 'src', 'project-id': '56', 'environment-type': 'prod' },
  unpack: { mode: 'unpack', 'source-token': 'src', 'manifest-id': '12', 'package-dir': 'release' }
}

/** What the runner would pass a step of `mode` given MINIMAL and `changes`. */
function workatoStep(mode: Mode, changes: Record<string, string> = {}): Record<string, string> {
  return { ...workatoDefaults, ...MINIMAL[mode], ...changes }
}
const parseStep = (step: Record<string, string>) => parseInputs(name => step[name] ?? '', env)

/** The names of the inputs whose error `run` throws, or [] when it does not throw. */
function refused(run: () => unknown): string[] {
  try {
    run()
    return []
  } catch (error) {
    return [...String(error).matchAll(/Input '([a-z0-9-]+)'/g)].map(m => group(m, 1))
  }
}

const use = (name: string) => {
  const entry = WORKATO_MODES[name]
  if (!entry) throw new Error(`WORKATO_MODES has no entry for ${name}`)
  return entry
}
const usedIn = (name: string, mode: Mode) => {
  const { modes } = use(name)
  return modes === 'all' || modes.includes(mode)
}
/** The input an either-or entry names in its note, "(or manifest-id)" or "(or snapshot: true)". */
const partner = (name: string) => use(name).note?.match(/^\(or ([a-z0-9-]+)(?::[^)]*)?\)$/)?.[1]

describe('docs/inputs.md', () => {
  test('is what scripts/inputs-reference.ts makes of action.yml and torizon/action.yml', async () => {
    const file = path.join(root, INPUTS_MD)
    const expected = await formatted(inputsReference(root), file)
    // a missing file is stale too, with the same fix
    const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
    const lines = current.split('\n')
    const differs = expected.split('\n').findIndex((line, i) => line !== lines[i])
    const stale =
      current === expected
        ? 'up to date'
        : `docs/inputs.md is stale from line ${differs + 1}: run \`npm run docs:inputs\``
    expect(stale).toBe('up to date')
  })

  test('renders every name and description as action.yml writes it, in its order', () => {
    const html = micromark(read(INPUTS_MD), { extensions: [gfm()], htmlExtensions: [gfmHtml()] })
    const text = (cell: string) =>
      cell
        .replace(/<\/?code>/g, '`')
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .map(row => [...group(row, 1).matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(c => group(c, 1)))
      .filter(cells => cells.length > 0)
      .map(cells => [text(cells[0] ?? ''), text(cells.at(-1) ?? '')])
    const declared = (entries: Record<string, { description: string }>) =>
      Object.entries(entries).map(([name, { description }]) => [`\`${name}\``, description])
    expect(rows).toEqual([
      ...declared(action.inputs),
      ...declared(action.outputs),
      ...declared(torizon.inputs),
      ...declared(torizon.outputs)
    ])
  })
})

describe('WORKATO_MODES', () => {
  test('has an entry for every input of action.yml and for nothing else', () => {
    expect(Object.keys(WORKATO_MODES).sort()).toEqual([...inputs].sort())
  })

  test('requires an input only in modes that use it', () => {
    const outside = Object.entries(WORKATO_MODES).flatMap(([name, entry]) =>
      entry.requiredIn.filter(mode => !usedIn(name, mode)).map(mode => `${name} in ${mode}`)
    )
    expect(outside).toEqual([])
  })

  test.each(MODES)('the minimal %s step parses', mode => {
    expect(refused(() => parseStep(workatoStep(mode)))).toEqual([])
  })

  const required = Object.entries(WORKATO_MODES).flatMap(([name, entry]) =>
    // either-or inputs: emptying one alone is no mistake while the other is given
    entry.note ? [] : entry.requiredIn.map(mode => [name, mode] as const)
  )
  test.each(required)('%s is required in mode %s: empty, it is an input error', (name, mode) => {
    expect(() => parseStep(workatoStep(mode, { [name]: '' }))).toThrow(`Input '${name}'`)
  })

  /**
   * Empty `mode` means promote, a different step altogether; folder-id is required in plan only
   * with snapshot: true, which the minimal plan step uses (snapshot's row and description say so).
   */
  const conditional: Partial<Record<Mode, string[]>> = { plan: ['folder-id'] }
  test.each(MODES)('in mode %s, no input outside "required in" is needed', mode => {
    const needed = inputs.filter(
      name =>
        name !== 'mode' &&
        !use(name).requiredIn.includes(mode) &&
        !conditional[mode]?.includes(name) &&
        refused(() => parseStep(workatoStep(mode, { [name]: '' }))).includes(name)
    )
    expect(needed).toEqual([])
  })

  /**
   * The values parseInputs refuses in modes that do not use them (DEPLOY_INPUTS outside deploy,
   * NOT_IN_DEPLOY in deploy, and the mode checks of readExportSource, readSnapshot, readCommon,
   * readSha256 and environmentEndpoint); other unused inputs are ignored and not listed here.
   */
  const sha256 = 'a'.repeat(64)
  const refusals: Array<[Mode, string, string]> = [
    ...(['promote', 'export', 'import', 'plan'] as const).flatMap(mode => [
      [mode, 'project-id', '5'] as [Mode, string, string],
      [mode, 'project-folder-id', '5'] as [Mode, string, string],
      [mode, 'environment-type', 'prod'] as [Mode, string, string],
      [mode, 'build-id', '5'] as [Mode, string, string]
    ]),
    ['deploy', 'manifest-id', '5'],
    ['deploy', 'source-folder-id', '5'],
    ['deploy', 'folder-id', '5'],
    ['deploy', 'folder-id-for-home-assets', '5'],
    ['deploy', 'snapshot', 'true'],
    ['deploy', 'snapshot-manifest-id', '5'],
    ['deploy', 'skip-unchanged', 'false'],
    ['deploy', 'start-new-recipes', 'true'],
    ['deploy', 'restart-recipes', 'true'],
    ['deploy', 'include-tags', 'true'],
    ['deploy', 'run-tests', 'true'],
    ['deploy', 'package-sha256', sha256],
    ['deploy', 'target-host', 'eu'],
    ['import', 'source-folder-id', '5'],
    ['export', 'snapshot', 'true'],
    ['export', 'snapshot-manifest-id', '5'],
    ['export', 'run-tests', 'true'],
    ['plan', 'run-tests', 'true'],
    ['promote', 'package-sha256', sha256],
    ['export', 'package-sha256', sha256],
    ['plan', 'package-sha256', sha256]
  ]
  test.each(refusals)('mode %s does not use %s, and refuses %s there', (mode, name, value) => {
    expect({ name, mode, used: usedIn(name, mode) }).toEqual({ name, mode, used: false })
    expect(() => parseStep(workatoStep(mode, { [name]: value }))).toThrow(`Input '${name}'`)
  })

  // so each refusal above is of the mode, not of the value
  const accepted = [...new Map(refusals.map(([, name, value]) => [name, value])).entries()]
  test.each(accepted)('%s: %s is accepted in a mode that uses it', (name, value) => {
    const { modes } = use(name)
    const mode = modes === 'all' ? 'promote' : (modes[0] ?? 'promote')
    const other = partner(name)
    const step = workatoStep(mode, { ...(other ? { [other]: '' } : {}), [name]: value })
    expect(refused(() => parseStep(step))).toEqual([])
  })
})

describe('TORIZON_REQUIRED', () => {
  const minimal = {
    'client-id': 'id',
    'client-secret': 'secret',
    'package-path': 'docker-compose.yml',
    'package-name': 'app',
    'package-version': '1.0.0'
  }
  const parseTorizon = (changes: Record<string, string> = {}) => {
    const step: Record<string, string> = { ...torizonDefaults, ...minimal, ...changes }
    return parseTorizonInputs(name => step[name] ?? '', env)
  }

  test('holds every input torizon/action.yml marks required, and only its inputs', () => {
    const marked = Object.entries(torizon.inputs).filter(([, input]) => input.required === true)
    expect(marked.map(([name]) => name).filter(name => !TORIZON_REQUIRED.includes(name))).toEqual(
      []
    )
    expect(TORIZON_REQUIRED.filter(name => !(name in torizon.inputs))).toEqual([])
  })

  test('the minimal step parses', () => {
    expect(refused(() => parseTorizon())).toEqual([])
  })

  test.each(TORIZON_REQUIRED)('%s is required: empty, it is an input error', name => {
    expect(() => parseTorizon({ [name]: '' })).toThrow(`Input '${name}'`)
  })

  test('no other input is needed', () => {
    const needed = Object.keys(torizon.inputs).filter(
      name => !TORIZON_REQUIRED.includes(name) && refused(() => parseTorizon({ [name]: '' })).length
    )
    expect(needed).toEqual([])
  })
})
