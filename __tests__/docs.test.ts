/**
 * The docs and the workflows use only what action.yml declares, and action.yml describes all of
 * it: every YAML example in the README parses, and every `with:` key and `outputs.` reference
 * of a step that uses this action exists.
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { parse } from 'yaml'
import { first, group, item } from './checked.js'

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..'
)
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')
/** The text between the first `start` and the next `end` (or the next `start`). */
const between = (text: string, start: string, end: string) =>
  first(item(text.split(start), 1, `part after ${JSON.stringify(start)}`).split(end))

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
  branding: { icon: string; color: string }
}
const action = parse(read('action.yml')) as ActionYml
const inputs = Object.keys(action.inputs)
const outputs = Object.keys(action.outputs)
const torizon = parse(read('torizon/action.yml')) as ActionYml

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
type Workflow = { jobs: Record<string, { steps?: Step[] }> }

const isOurs = (uses?: string) => !!uses && (uses === './' || /workato-promote@/.test(uses))
const isTorizon = (uses?: string) => !!uses && (uses === './torizon' || /\/torizon@/.test(uses))

function checkWorkflow(text: string, where: string) {
  return checkSteps(text, where, isOurs, action) + checkSteps(text, where, isTorizon, torizon)
}

/** The `with:` keys and `outputs.` names of the steps that use one action, against its action.yml. */
function checkSteps(
  text: string,
  where: string,
  matches: (uses?: string) => boolean,
  declaration: ActionYml
) {
  const inputs = Object.keys(declaration.inputs)
  const outputs = Object.keys(declaration.outputs)
  const workflow = parse(text) as Workflow
  expect(workflow.jobs).toBeDefined()
  const ids = new Set<string>()
  let used = 0
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (!matches(step.uses)) continue
      used++
      if (step.id) ids.add(step.id)
      for (const key of Object.keys(step.with ?? {})) {
        expect({ where, input: key, declared: inputs.includes(key) }).toEqual({
          where,
          input: key,
          declared: true
        })
      }
    }
  }
  for (const reference of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const [id, name] = [group(reference, 1), group(reference, 2)]
    if (!ids.has(id)) continue
    expect({ where, output: name, declared: outputs.includes(name) }).toEqual({
      where,
      output: name,
      declared: true
    })
  }
  return used
}

describe('action.yml', () => {
  test.each([
    ['action.yml', action],
    ['torizon/action.yml', torizon]
  ])('%s runs on node24, has branding, and describes every input and output', (_file, yml) => {
    expect(yml.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(yml.branding.icon).toBeTruthy()
    expect(yml.branding.color).toBeTruthy()
    for (const [name, input] of Object.entries(yml.inputs)) {
      expect({ name, described: input.description.length > 20 }).toEqual({ name, described: true })
    }
    for (const output of Object.values(yml.outputs))
      expect(output.description.length).toBeGreaterThan(10)
  })
})

/** Where the workflows a user copies are shown: the README, the more patterns, the Torizon page. */
const DOCUMENTED = ['README.md', 'docs/workflows.md', 'torizon/README.md']

describe('README and the documented workflows', () => {
  const readme = read('README.md')
  const torizonPage = read('torizon/README.md')
  const blocks = DOCUMENTED.flatMap(file =>
    [...read(file).matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => ({ file, text: group(m, 1) }))
  )

  test('every YAML example parses and uses only declared inputs and outputs', () => {
    expect(blocks.filter(b => b.file === 'README.md').length).toBeGreaterThanOrEqual(2)
    let used = 0
    blocks.forEach(
      ({ file, text }, i) => (used += checkWorkflow(text, `${file} yaml block ${i + 1}`))
    )
    expect(used).toBeGreaterThanOrEqual(6)
  })

  test('the inputs overview names every input action.yml declares, and links the full reference', () => {
    const section = between(readme, '## Inputs\n', '\n## ')
    const named = new Set([...section.matchAll(/`([a-z0-9-]+)`/g)].map(m => group(m, 1)))
    expect(inputs.filter(name => !named.has(name))).toEqual([])
    expect(section).toContain('[docs/inputs.md](docs/inputs.md)')
    const outputsSection = between(readme, '## Outputs\n', '\n## ')
    expect(outputsSection).toContain('docs/inputs.md')
    // what it names is an output, one of the outcomes the outcome output describes, or the mode
    const outcomes = action.outputs.outcome?.description ?? ''
    const stale = [...outputsSection.matchAll(/`([a-z0-9-]+)`/g)]
      .map(m => group(m, 1))
      .filter(name => !outputs.includes(name) && !outcomes.includes(name) && name !== 'deploy')
    expect(stale).toEqual([])
  })

  test('the modes the overview names are the modes action.yml names', () => {
    const modeLine = between(between(readme, '## Inputs\n', '\n## '), '**What to do**', '\n- ')
    const values = (text: string) => [...text.matchAll(/`([a-z]+)`/g)].map(m => group(m, 1))
    expect(
      values(modeLine)
        .filter(v => v !== 'mode' && v !== 'package')
        .sort()
    ).toEqual(values(action.inputs.mode?.description ?? '').sort())
  })

  test("the Torizon page's tables list exactly what torizon/action.yml declares", () => {
    const names = (header: string) => {
      const table = between(torizonPage, `| ${header} `, '\n\n')
      return [...table.matchAll(/^\| (`[a-z0-9-]+`(?:, `[a-z0-9-]+`)*) +\|/gm)].flatMap(m =>
        [...group(m, 1).matchAll(/`([a-z0-9-]+)`/g)].map(n => group(n, 1))
      )
    }
    expect(names('input').sort()).toEqual(Object.keys(torizon.inputs).sort())
    expect(names('output')).toEqual(Object.keys(torizon.outputs))
    // linked from the README's first screen
    expect(readme.split('\n## ')[0]).toContain('](torizon/README.md)')
  })

  test("enumerated values: every value torizon/action.yml names is in the Torizon page's row, and none it does not", () => {
    const names = new Set([...Object.keys(torizon.inputs), ...Object.keys(torizon.outputs)])
    const valueLike = (text: string) =>
      [...text.matchAll(/`([a-z][a-z0-9-]*)`/g)]
        .map(m => group(m, 1))
        .filter(v => v !== 'true' && v !== 'false' && !names.has(v))
    const checked = [...torizonPage.matchAll(/^\| `([a-z0-9-]+)` +\|(.*)\|$/gm)].flatMap(m => {
      const name = group(m, 1)
      const output = torizon.outputs[name]
      return output ? [{ name, row: group(m, 2), description: output.description }] : []
    })
    expect(checked.length).toBeGreaterThanOrEqual(Object.keys(torizon.outputs).length)
    for (const { name, row, description } of checked) {
      const missing = valueLike(description).filter(v => !row.includes(`\`${v}\``))
      const unknown = valueLike(row).filter(v => !new RegExp(`\\b${v}\\b`, 'i').test(description))
      expect({ name, missing, unknown }).toEqual({ name, missing: [], unknown: [] })
    }
  })

  test('one version of each actions/* action across the documented workflows and the repository’s', () => {
    const dir = path.join(root, '.github', 'workflows')
    const texts = [
      ...DOCUMENTED.map(read),
      ...readdirSync(dir).map(f => readFileSync(path.join(dir, f), 'utf8'))
    ]
    const versions = new Map<string, Set<string>>()
    for (const text of texts) {
      for (const use of text.matchAll(/uses: (actions\/[\w-]+)@([\w.]+)/g)) {
        const [name, version] = [group(use, 1), group(use, 2)]
        versions.set(name, (versions.get(name) ?? new Set()).add(version))
      }
    }
    expect(versions.size).toBeGreaterThan(0)
    for (const [name, found] of versions)
      expect({ name, versions: [...found] }).toEqual({ name, versions: [[...found][0]] })
  })

  test.each(DOCUMENTED)(
    '%s: no line over 200 characters, so tables read without scrolling',
    file => {
      const long = read(file)
        .split('\n')
        .filter(line => line.length > 200)
      expect(long).toEqual([])
    }
  )

  test('the first hour: the two newcomer commands, the setup guide, a README near 300 lines', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm ci && npm test')
    expect(readme).toContain('](docs/setup.md)')
    expect(readme.split('\n').length).toBeLessThan(400)
  })
})

describe('workflows', () => {
  const dir = path.join(root, '.github', 'workflows')
  test.each(readdirSync(dir))('%s parses and uses only declared inputs and outputs', file => {
    // checkSteps makes the assertions (that the workflow has jobs, then one for each key)
    expect.hasAssertions()
    checkWorkflow(readFileSync(path.join(dir, file), 'utf8'), file)
  })
})
