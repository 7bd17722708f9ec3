/**
 * Every workflow the repository shows (the ```yaml blocks of its Markdown that have `on:` and
 * `jobs:`, and every file in .github/workflows) is validated by GitHub's own workflow language
 * service, @actions/languageservice, with action.yml and torizon/action.yml as the metadata of
 * the steps that use them. A `with:` key they do not declare, a required input left out, an
 * output they do not declare, a context or step that does not exist, an expression that does not
 * parse: each fails the workflow's test. Unit level: it reads files and needs no build.
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { data, DescriptionDictionary } from '@actions/expressions'
import { registerLogger, validate, type ValidationConfig } from '@actions/languageservice'
import { parseActionReference, type ActionMetadata } from '@actions/languageservice/action'
import type { WorkflowContext } from '@actions/languageservice/context/workflow-context'
import { isMap, isScalar, isSeq, parse, parseDocument } from 'yaml'
import { group, item } from './checked.js'

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..'
)
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

/** Our actions' action.yml files by their folder in this repository ('' is the root's). */
const ACTION_FILES: Record<string, string> = { '': 'action.yml', torizon: 'torizon/action.yml' }
const METADATA: Record<string, ActionMetadata> = Object.fromEntries(
  Object.values(ACTION_FILES).map(file => [file, parse(read(file)) as ActionMetadata])
)
const metadataOf = (file: string | undefined) => (file ? METADATA[file] : undefined)

/**
 * Which of our action.yml files a `uses:` means, however the docs spell it: `./`, `./torizon`,
 * `<owner>/workato-promote@<ref>`, `<owner>/workato-promote/torizon@<ref>` (the owner is
 * `your-org` in the docs, so any owner counts), and the `$/` form that `./` is validated as.
 */
function ourActionFile(uses: string): string | undefined {
  const local = uses.match(/^[.$]\/(.*?)\/?$/)
  const dir = local ? group(local, 1).replace(/^\.$/, '') : parseOurReference(uses)
  return dir === undefined ? undefined : ACTION_FILES[dir]
}

function parseOurReference(uses: string): string | undefined {
  const reference = parseActionReference(uses)
  return reference?.name === 'workato-promote' ? (reference.path ?? '') : undefined
}

interface Shown {
  /** `file:line`, the line of the workflow's first line. */
  where: string
  name: string
  text: string
}

/** The ```yaml blocks of a Markdown file that are workflows (top-level `on:` and `jobs:`). */
function fencedWorkflows(file: string): Shown[] {
  const lines = read(file).split('\n')
  const shown: Shown[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = item(lines, i, 'line').match(/^(\s*)(`{3,})\s*ya?ml\s*$/)
    if (!open) continue
    const [indent, fence] = [group(open, 1), group(open, 2)]
    const closing = new RegExp(`^\\s*${fence}\`*\\s*$`)
    const start = i + 1
    const end = lines.findIndex((line, j) => j >= start && closing.test(line))
    i = end < 0 ? lines.length : end
    const text = lines
      .slice(start, i)
      .map(line => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n')
    if (/^["']?on["']?\s*:/m.test(text) && /^jobs\s*:/m.test(text))
      shown.push({ where: `${file}:${start + 1}`, name: nameOf(text), text: `${text}\n` })
  }
  return shown
}

const nameOf = (text: string) => /^name:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? 'workflow'

/** Every Markdown file of the repository, outside what is installed or built. */
function markdownFiles(dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(entry => {
    const file = path.posix.join(dir, entry.name)
    if (entry.isDirectory())
      return /^(node_modules|dist|lib|coverage|\.build|\.git)$/.test(entry.name)
        ? []
        : markdownFiles(file)
    return entry.name.endsWith('.md') ? [file] : []
  })
}

const workflowFiles = readdirSync(path.join(root, '.github/workflows'))
  .sort()
  .map(name => `.github/workflows/${name}`)
const shown: Shown[] = [
  ...markdownFiles().sort().flatMap(fencedWorkflows),
  ...workflowFiles.map(file => ({ where: `${file}:1`, name: nameOf(read(file)), text: read(file) }))
]

/**
 * The service resolves `./` (an action in the checked-out workspace) to nothing and skips its
 * inputs; `$/` (an action of the same repository) it reads through the file provider. Each step's
 * `./path` is validated as `$/path`, on the same line; a job's `uses:` (a reusable workflow) is
 * left as it is.
 */
function localAsSameRepository(text: string): string {
  const document = parseDocument(text)
  const jobs = document.get('jobs')
  const edits: Array<[number, number, string]> = []
  for (const job of isMap(jobs) ? jobs.items : []) {
    const steps = isMap(job.value) ? job.value.get('steps') : undefined
    for (const step of isSeq(steps) ? steps.items : []) {
      const uses = isMap(step) ? step.get('uses', true) : undefined
      if (
        isScalar(uses) &&
        typeof uses.value === 'string' &&
        uses.range &&
        /^\.\//.test(uses.value)
      )
        edits.push([
          uses.range[0],
          uses.range[1],
          JSON.stringify(`$/${uses.value.slice(2) || '.'}`)
        ])
    }
  }
  return edits
    .sort((a, b) => b[0] - a[0])
    .reduce((out, [from, to, value]) => out.slice(0, from) + value + out.slice(to), text)
}

/**
 * The `steps` context with the outputs our action.yml declares for each step that uses it: by
 * default the service takes any output name (an action may set outputs it does not declare), so
 * `steps.promote.outputs.outcomes` would pass. Ours declare all they set.
 */
function withOurOutputs(steps: DescriptionDictionary, context: WorkflowContext) {
  const result = new DescriptionDictionary()
  for (const { key, value, description } of steps.pairs()) {
    const step = context.job?.steps.find(s => s.id === key)
    const declared = step && 'uses' in step ? metadataOf(ourActionFile(step.uses.value)) : undefined
    if (!declared || !(value instanceof data.Dictionary)) {
      result.add(key, value, description)
      continue
    }
    const outputs = new DescriptionDictionary(
      ...Object.entries(declared.outputs ?? {}).map(([name, output]) => ({
        key: name,
        value: new data.StringData(''),
        description: output.description
      }))
    )
    const others = value.pairs().filter(pair => pair.key !== 'outputs')
    result.add(key, new DescriptionDictionary({ key: 'outputs', value: outputs }, ...others))
  }
  return result
}

/** A config that answers for our actions only, and records which action.yml each step got. */
function configFor(resolved: string[]): ValidationConfig {
  return {
    actionsMetadataProvider: {
      fetchActionMetadata: reference => {
        if (reference.name !== 'workato-promote') return Promise.resolve(undefined)
        const file = ACTION_FILES[reference.path ?? '']
        if (file) resolved.push(file)
        return Promise.resolve(metadataOf(file))
      }
    },
    fileProvider: {
      getFileContent: ({ path: file }) => {
        const ours = Object.values(ACTION_FILES).find(f => f === file.replace(/^\.\//, ''))
        if (!ours) return Promise.reject(new Error(`${file}: not one of our action.yml files`))
        resolved.push(ours)
        return Promise.resolve({ name: ours, content: read(ours) })
      }
    },
    contextProviderConfig: {
      getContext: (name, defaults, context) =>
        Promise.resolve(
          name === 'steps' && defaults ? withOurOutputs(defaults, context) : undefined
        )
    }
  }
}

const ERROR = 1 // DiagnosticSeverity.Error in the language server protocol
const WARNING = 2

/**
 * GitHub's own actions, and the one other the docs use (peter-evans/create-pull-request), which
 * this test cannot fetch (no network): the service reports each as unresolved, an error about
 * our test's reach, not about the workflow. Only these names, so a misspelt action (or our own
 * repository misspelt) still fails.
 */
const UNFETCHABLE =
  /^Unable to resolve action `(actions\/(checkout|setup-node|download-artifact|upload-artifact)|github\/codeql-action\/(init|analyze)|peter-evans\/create-pull-request)@v\d+`, repository or version not found$/

/** Whether a diagnostic is a real error in the workflow. */
function isError(diagnostic: { severity?: number; message: string }): boolean {
  // The parser's errors (bad YAML, unknown keys, expressions that do not parse) carry no severity.
  if (diagnostic.severity === undefined || diagnostic.severity === ERROR)
    return !UNFETCHABLE.test(diagnostic.message)
  // A warning because a context might hold more than the service knows of; here every context it
  // knows is complete (env, needs, our steps' outputs; secrets and vars it does not judge), so a
  // key it does not know is a typo.
  return (
    diagnostic.severity === WARNING &&
    diagnostic.message.startsWith('Context access might be invalid:')
  )
}

let validations = 0

// validate() catches what throws inside it (a provider of ours included), logs it and returns
// the diagnostics it had so far: a crash would pass for a clean workflow unless it fails here.
const crashes: string[] = []
registerLogger({ error: m => crashes.push(m), warn: () => {}, info: () => {}, log: () => {} })

/** The real errors in one workflow, as `where:line:column message`, and what our steps got. */
async function check(text: string, where: string) {
  const [file, line] = [where.replace(/:\d+$/, ''), Number(where.split(':').pop())]
  const resolved: string[] = []
  // The service caches what it parsed by URI: each validation gets its own.
  const uri = `file://${root}/${file}#${++validations}`
  // validate() reads only the URI and the text, as the package's README shows.
  const diagnostics = await validate(
    { uri, getText: () => localAsSameRepository(text) } as Parameters<typeof validate>[0],
    configFor(resolved)
  )
  if (crashes.length)
    throw new Error(`the language service failed: ${crashes.splice(0).join('; ')}`)
  const errors = diagnostics
    .map(d => ({ ...d, message: typeof d.message === 'string' ? d.message : d.message.value }))
    .filter(isError)
    .map(d => `${file}:${line + d.range.start.line}:${d.range.start.character + 1} ${d.message}`)
  return { errors, resolved: resolved.sort() }
}

/** The action.yml each step that uses our actions should be validated against. */
function ourSteps(text: string): string[] {
  const workflow = parse(text) as { jobs?: Record<string, { steps?: Array<{ uses?: string }> }> }
  return Object.values(workflow.jobs ?? {})
    .flatMap(job => job.steps ?? [])
    .flatMap(step => (step.uses ? (ourActionFile(step.uses) ?? []) : []))
    .sort()
}

describe('workflows shown in the repository', () => {
  test('are found: the README examples and every file in .github/workflows', () => {
    const from = (file: string) => shown.filter(s => s.where.startsWith(`${file}:`)).length
    expect(from('README.md')).toBeGreaterThanOrEqual(3)
    expect(from('docs/workflows.md')).toBeGreaterThanOrEqual(2)
    expect(from('torizon/README.md')).toBeGreaterThanOrEqual(1)
    expect(workflowFiles.length).toBeGreaterThanOrEqual(3)
    expect(shown.flatMap(s => ourSteps(s.text)).length).toBeGreaterThanOrEqual(9)
  })

  test.each(shown.map(s => [`${s.where} ${s.name}`, s] as const))(
    '%s is valid, and its steps that use our actions are checked against their action.yml',
    async (_title, { text, where }) => {
      const { errors, resolved } = await check(text, where)
      expect({ errors, validatedAgainst: resolved }).toEqual({
        errors: [],
        validatedAgainst: ourSteps(text)
      })
    }
  )

  test.each(Object.values(ACTION_FILES))('%s is a valid action', async file => {
    const text = read(file)
    const diagnostics = await validate({
      uri: `file://${root}/${file}`,
      getText: () => text
    } as Parameters<typeof validate>[0])
    expect(diagnostics).toEqual([])
  })
})

/** A workflow every negative case below breaks in one place; valid as it is. */
const SAMPLE = `name: Sample
on:
  push:
    tags: ['v*']
jobs:
  promote:
    runs-on: ubuntu-latest
    outputs:
      sha256: \${{ steps.promote.outputs.package-sha256 }}
    steps:
      - uses: actions/checkout@v5
      - uses: your-org/workato-promote@v1
        id: promote
        with:
          source-token: \${{ secrets.WORKATO_DEV_TOKEN }}
          manifest-id: '12'
          target-token: \${{ secrets.WORKATO_PROD_TOKEN }}
          folder-id: \${{ vars.WORKATO_FOLDER_ID }}
      - run: echo "$OUTCOME"
        env:
          OUTCOME: \${{ steps.promote.outputs.outcome }}
  publish:
    needs: promote
    runs-on: ubuntu-latest
    steps:
      - uses: ./torizon
        with:
          client-id: \${{ secrets.TORIZON_CLIENT_ID }}
          client-secret: \${{ secrets.TORIZON_CLIENT_SECRET }}
          package-path: docker-compose.yml
          package-name: acme-app
          package-version: \${{ github.ref_name }}
          artifact-name: acme-\${{ needs.promote.outputs.sha256 }}
`

describe('the validation fails', () => {
  const broken = (from: string, to: string) => {
    expect(SAMPLE).toContain(from)
    return SAMPLE.replace(from, to)
  }

  test('nowhere on the sample itself', async () => {
    expect(await check(SAMPLE, 'sample.yml:1')).toEqual({
      errors: [],
      resolved: ['action.yml', 'torizon/action.yml']
    })
  })

  test.each([
    [
      'a misspelt input of our action',
      broken('manifest-id:', 'manifest_id:'),
      "sample.yml:16:11 Invalid action input 'manifest_id'"
    ],
    [
      'a misspelt input of our action used as ./',
      broken('your-org/workato-promote@v1', './').replace('manifest-id:', 'manifest_id:'),
      "sample.yml:16:11 Invalid action input 'manifest_id'"
    ],
    [
      'a misspelt input of our action used as ./torizon',
      broken('package-name:', 'package-nmae:'),
      [
        "sample.yml:31:11 Invalid action input 'package-nmae'",
        'sample.yml:27:9 Missing required input `package-name`'
      ]
    ],
    [
      'a required input left out',
      broken('          package-name: acme-app\n', ''),
      'sample.yml:27:9 Missing required input `package-name`'
    ],
    [
      'a context that does not exist',
      broken('${{ steps.promote.outputs.outcome }}', '${{ step.promote.outputs.outcome }}'),
      "sample.yml:21:20 Unrecognized named-value: 'step'"
    ],
    [
      'an output our action does not declare',
      broken('steps.promote.outputs.outcome', 'steps.promote.outputs.outcomes'),
      'sample.yml:21:20 Context access might be invalid: outcomes'
    ],
    [
      'a step id that does not exist',
      broken('steps.promote.outputs.package-sha256', 'steps.export.outputs.package-sha256'),
      'sample.yml:9:15 Context access might be invalid: export'
    ],
    [
      "a job output that isn't there",
      broken('needs.promote.outputs.sha256', 'needs.promote.outputs.sha'),
      'sample.yml:33:31 Context access might be invalid: sha'
    ],
    [
      'an expression that does not parse',
      broken("manifest-id: '12'", 'manifest-id: ${{ vars.ID == }}'),
      "sample.yml:16:24 Unexpected end of expression: '=='"
    ],
    [
      'our repository misspelt',
      broken('your-org/workato-promote@v1', 'your-org/workato-promte@v1'),
      'sample.yml:12:15 Unable to resolve action `your-org/workato-promte@v1`, repository or version not found'
    ],
    [
      'a GitHub action misspelt',
      broken('actions/checkout@v5', 'actions/chekout@v5'),
      'sample.yml:11:15 Unable to resolve action `actions/chekout@v5`, repository or version not found'
    ]
  ])('on %s', async (_what, text, error) => {
    const { errors } = await check(text, 'sample.yml:1')
    expect(errors).toEqual([error].flat())
  })
})
