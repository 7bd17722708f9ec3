/**
 * The docs and the workflows use only what action.yml declares, and action.yml describes all of
 * it: every YAML example in the README parses, and every `with:` key and `outputs.` reference
 * of a step that uses this action exists.
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { parse } from 'yaml'

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..'
)
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
  branding: { icon: string; color: string }
}
const action = parse(read('action.yml')) as ActionYml
const inputs = Object.keys(action.inputs)
const outputs = Object.keys(action.outputs)

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}
type Workflow = { jobs: Record<string, { steps?: Step[] }> }

const isOurs = (uses?: string) => !!uses && (uses === './' || /workato-promote@/.test(uses))

function checkWorkflow(text: string, where: string) {
  const workflow = parse(text) as Workflow
  expect(workflow.jobs).toBeDefined()
  const ids = new Set<string>()
  let used = 0
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps ?? []) {
      if (!isOurs(step.uses)) continue
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
  for (const [, id, name] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
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
  test('runs on node24, has branding, and describes every input and output', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(action.branding.icon).toBeTruthy()
    expect(action.branding.color).toBeTruthy()
    for (const [name, input] of Object.entries(action.inputs)) {
      expect({ name, described: input.description.length > 20 }).toEqual({ name, described: true })
    }
    for (const output of Object.values(action.outputs))
      expect(output.description.length).toBeGreaterThan(10)
  })
})

describe('README', () => {
  const readme = read('README.md')
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1])

  test('every YAML example parses and uses only declared inputs and outputs', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    let used = 0
    blocks.forEach((block, i) => (used += checkWorkflow(block, `README yaml block ${i + 1}`)))
    expect(used).toBeGreaterThanOrEqual(3)
  })

  test('the inputs and outputs tables list exactly what action.yml declares', () => {
    const table = (heading: string) => {
      const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0]
      return [...section.matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map(m => m[1])
    }
    expect(table('Inputs')).toEqual(inputs)
    expect(table('Outputs')).toEqual(outputs)
  })

  test('the two newcomer commands are there', () => {
    expect(readme).toContain('npm ci && npm run demo')
    expect(readme).toContain('npm ci && npm test')
  })
})

describe('workflows', () => {
  const dir = path.join(root, '.github', 'workflows')
  test.each(readdirSync(dir))('%s parses and uses only declared inputs and outputs', file => {
    checkWorkflow(readFileSync(path.join(dir, file), 'utf8'), file)
  })
})
