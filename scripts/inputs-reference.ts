/**
 * `npm run docs:inputs`: docs/inputs.md, every input and output of both actions, from their
 * action.yml files. What action.yml cannot say (which modes of the Workato action read an input,
 * and where it is required) is kept here in WORKATO_MODES, read off src/workato/inputs.ts;
 * __tests__/inputs-reference.test.ts holds the file equal to this output and the claims to what
 * parseInputs does.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as prettier from 'prettier'
import { parse } from 'yaml'
import type { Mode } from '../src/workato/config.js'
import { readActionYml, repoRoot, runnerInputs } from '../sim/runner.js'

export const MODES: readonly Mode[] = ['promote', 'export', 'import', 'plan', 'deploy', 'unpack']

export interface ModeUse {
  /** The modes that read the input and act on it ('all': every mode). */
  modes: Mode[] | 'all'
  /** The modes that refuse to run without it. */
  requiredIn: Mode[]
  /** Appended to the required cell: the input that may stand in for this one, as "(or …)". */
  note?: string
}

/**
 * Read off parseInputs and the steps of each mode (src/workato/flow.ts): an input is in `modes`
 * where some step of that mode acts on its value; where it is not, parseInputs either ignores it
 * or refuses a value that would do nothing (DEPLOY_INPUTS, NOT_IN_DEPLOY and the like).
 */
export const WORKATO_MODES: Record<string, ModeUse> = {
  mode: { modes: 'all', requiredIn: [] },
  'source-host': { modes: ['promote', 'export', 'plan', 'deploy', 'unpack'], requiredIn: [] },
  // plan from package-dir exports nothing, and needs no source-token then
  'source-token': {
    modes: ['promote', 'export', 'plan', 'deploy', 'unpack'],
    requiredIn: ['promote', 'export', 'plan', 'deploy', 'unpack']
  },
  // deploy reaches its environments at source-host and refuses any other target-host
  'target-host': { modes: ['promote', 'import', 'plan'], requiredIn: [] },
  'target-token': {
    modes: ['promote', 'import', 'plan', 'deploy'],
    requiredIn: ['promote', 'import', 'plan']
  },
  'manifest-id': {
    modes: ['promote', 'export', 'plan', 'unpack'],
    requiredIn: ['promote', 'export', 'plan', 'unpack'],
    note: '(or source-folder-id)'
  },
  'source-folder-id': {
    modes: ['promote', 'export', 'plan', 'unpack'],
    requiredIn: ['promote', 'export', 'plan', 'unpack'],
    note: '(or manifest-id)'
  },
  // plan also needs it with snapshot: true, as the snapshot's folder
  'folder-id': { modes: ['promote', 'import', 'plan'], requiredIn: ['promote', 'import'] },
  'project-id': { modes: ['deploy'], requiredIn: ['deploy'], note: '(or project-folder-id)' },
  'project-folder-id': { modes: ['deploy'], requiredIn: ['deploy'], note: '(or project-id)' },
  'environment-type': { modes: ['deploy'], requiredIn: ['deploy'] },
  'build-id': { modes: ['deploy'], requiredIn: [] },
  // deploy's pre-flight checks the DEV token (src/workato/steps/environment.ts)
  preflight: { modes: 'all', requiredIn: [] },
  // export and plan import nothing, so there is no connection to check
  'connection-check': { modes: ['promote', 'import', 'deploy'], requiredIn: [] },
  'keep-running': { modes: ['promote', 'import', 'deploy'], requiredIn: [] },
  'start-new-recipes': { modes: ['promote', 'import'], requiredIn: [] },
  'restart-recipes': { modes: ['promote', 'import'], requiredIn: [] },
  // the manifests made for source-folder-id and snapshot: true carry it, and imports send it
  'include-tags': { modes: ['promote', 'export', 'import', 'plan', 'unpack'], requiredIn: [] },
  // import makes a manifest too, for snapshot: true; deploy sends it with the build
  'include-test-cases': { modes: 'all', requiredIn: [] },
  'run-tests': { modes: ['promote', 'import'], requiredIn: [] },
  'folder-id-for-home-assets': { modes: ['promote', 'import'], requiredIn: [] },
  snapshot: {
    modes: ['promote', 'import', 'plan'],
    requiredIn: ['plan'],
    note: '(or snapshot-manifest-id)'
  },
  'snapshot-manifest-id': {
    modes: ['promote', 'import', 'plan'],
    requiredIn: ['plan'],
    note: '(or snapshot: true)'
  },
  // plan compares and never imports, so there is no import to skip
  'skip-unchanged': { modes: ['promote', 'import'], requiredIn: [] },
  'rollback-on-failure': { modes: ['promote', 'import', 'deploy'], requiredIn: [] },
  // plan writes its export there as promote does
  'package-path': { modes: 'all', requiredIn: ['import'], note: '(or package-dir)' },
  'package-dir': { modes: ['unpack', 'import', 'plan'], requiredIn: ['unpack'] },
  drift: { modes: ['import', 'plan'], requiredIn: [] },
  'package-sha256': { modes: ['import'], requiredIn: [] },
  // every mode keeps something: the export, the snapshot (import, plan) or the build (deploy)
  'upload-artifact': { modes: 'all', requiredIn: [] },
  'artifact-name': { modes: 'all', requiredIn: [] },
  'retention-days': { modes: 'all', requiredIn: [] },
  'max-package-mb': { modes: 'all', requiredIn: [] },
  'poll-interval': { modes: 'all', requiredIn: [] },
  'wait-timeout': { modes: 'all', requiredIn: [] },
  'rate-limits': { modes: 'all', requiredIn: [] }
}

/**
 * The Torizon inputs src/torizon/inputs.ts refuses to be empty: torizon/action.yml marks them
 * `required: true` as well, but the runner does not enforce that, so parse is what decides.
 */
export const TORIZON_REQUIRED: readonly string[] = [
  'client-id',
  'client-secret',
  'package-path',
  'package-name',
  'package-version'
]

interface Declared {
  inputs: Record<string, { description?: string; required?: boolean } | null>
  outputs: Record<string, { description?: string } | null>
}

function readDeclared(dir: string): Declared {
  const yml = parse(readFileSync(path.join(dir, 'action.yml'), 'utf8')) as Partial<Declared>
  return { inputs: yml.inputs ?? {}, outputs: yml.outputs ?? {} }
}

/**
 * Text for a table cell that renders as the text itself: `|` would end the cell (GFM splits
 * cells before code spans, so it is escaped inside them too), and outside code spans `<` would
 * start an HTML tag (`<artifact-name>` would vanish) and `\`, `&` an escape or an entity.
 */
export function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[\\<&]/g, c => `\\${c}`)))
    .join('')
    .replace(/\|/g, '\\|')
}

const code = (text: string) => (text ? `\`${text}\`` : '—')
const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '—')

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`
}

function table(header: string[], rows: string[][]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)]
}

function described(entry: { description?: string } | null, what: string): string {
  if (!entry?.description) throw new Error(`${what} has no description`)
  return cell(entry.description)
}

function outputsTable(declared: Declared, file: string): string[] {
  return table(
    ['output', 'what'],
    Object.entries(declared.outputs).map(([name, output]) => [
      code(name),
      described(output, `${file}: output ${name}`)
    ])
  )
}

function workatoSection(root: string): string[] {
  const declared = readDeclared(root)
  const defaults = runnerInputs(readActionYml(root).inputs, {})
  const inputs = Object.entries(declared.inputs).map(([name, input]) => {
    const use = WORKATO_MODES[name]
    if (!use) throw new Error(`action.yml: input ${name} has no entry in WORKATO_MODES`)
    const required = use.requiredIn.length > 0 ? list(use.requiredIn) : '—'
    return [
      code(name),
      code(defaults[name] ?? ''),
      use.modes === 'all' ? 'all' : list(use.modes),
      use.note ? `${required} ${cell(use.note)}` : required,
      described(input, `action.yml: input ${name}`)
    ]
  })
  return [
    '## Workato (action.yml)',
    '',
    `Modes: ${MODES.join(', ')} (input \`mode\`). An input set in a mode that does not use it`,
    'is ignored, or refused where its value would silently do nothing.',
    '',
    '### Inputs',
    '',
    ...table(['input', 'default', 'modes', 'required in', 'what'], inputs),
    '',
    '### Outputs',
    '',
    ...outputsTable(declared, 'action.yml')
  ]
}

function torizonSection(root: string): string[] {
  const dir = path.join(root, 'torizon')
  const declared = readDeclared(dir)
  const defaults = runnerInputs(readActionYml(dir).inputs, {})
  const inputs = Object.entries(declared.inputs).map(([name, input]) => [
    code(name),
    code(defaults[name] ?? ''),
    input?.required === true || TORIZON_REQUIRED.includes(name) ? 'yes' : 'no',
    described(input, `torizon/action.yml: input ${name}`)
  ])
  return [
    '## Torizon Cloud (torizon/action.yml)',
    '',
    '### Inputs',
    '',
    ...table(['input', 'default', 'required', 'what'], inputs),
    '',
    '### Outputs',
    '',
    ...outputsTable(declared, 'torizon/action.yml')
  ]
}

/** docs/inputs.md as generated, before prettier aligns its tables. */
export function inputsReference(root: string): string {
  return [
    '# Inputs and outputs',
    '',
    '<!-- Generated: edit action.yml, torizon/action.yml or scripts/inputs-reference.ts, not this file. -->',
    '',
    'Generated by `npm run docs:inputs` from action.yml and torizon/action.yml;',
    '`__tests__/inputs-reference.test.ts` keeps it equal to them. A default is what the runner',
    'passes when the step gives no value (— for none).',
    '',
    ...workatoSection(root),
    '',
    ...torizonSection(root),
    ''
  ].join('\n')
}

/** The repository's prettier settings applied, so `prettier --check .` passes the file as written. */
export async function formatted(text: string, file: string): Promise<string> {
  return prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file })
}

export const INPUTS_MD = path.join('docs', 'inputs.md')

async function main(): Promise<void> {
  const root = repoRoot()
  const file = path.join(root, INPUTS_MD)
  writeFileSync(file, await formatted(inputsReference(root), file))
  console.log(`wrote ${path.relative(process.cwd(), file) || file}`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main()
}
