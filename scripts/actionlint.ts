/**
 * `npm run lint:actions`: actionlint over every workflow in .github/workflows (or the files
 * named on the command line), one `file:line:col: message [kind]` line per finding, exit 1 on
 * any. The npm `actionlint` package is actionlint built to WebAssembly, so lint needs neither
 * a Go binary nor the network. The price: it runs no shellcheck or pyflakes, cannot read the
 * local actions (`uses: ./torizon`; __tests__/docs.test.ts checks their inputs), and is
 * actionlint v1.6.22 (2022), which does not know newer runner labels (ubuntu-24.04) or
 * contexts (runner.environment): such a finding is the linter's age, not the workflow.
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import { createLinter, type LintResult } from 'actionlint'
import { parseDocument } from 'yaml'
import { repoRoot } from '../sim/runner.js'

export type Finding = Pick<LintResult, 'file' | 'line' | 'column' | 'message' | 'kind'>

/**
 * YAML errors come from the yaml package: given a file that does not parse, the wasm build
 * traps ("RuntimeError: unreachable") instead of reporting it. A trap on a file that parses is
 * a finding too, so a linter that broke cannot pass the workflows.
 */
export async function lintWorkflow(text: string, file: string): Promise<Finding[]> {
  const syntax = parseDocument(text).errors.map(error => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    // the position is in line and column already
    message: error.message.replace(/ at line [\s\S]*$/, ''),
    kind: 'syntax'
  }))
  if (syntax.length > 0) return syntax
  // A fresh linter each file: one instance linting ci.yml then release.yml traps on the second.
  const lint = await createLinter()
  try {
    return lint(text, file).map(({ line, column, message, kind }) => ({
      file,
      line,
      column,
      message,
      kind
    }))
  } catch (error) {
    return [
      {
        file,
        line: 1,
        column: 1,
        message: `actionlint failed: ${error instanceof Error ? error.message : String(error)}`,
        kind: 'crash'
      }
    ]
  }
}

/** Files are named relative to `root`, so findings read the same on any machine. */
export async function lintFiles(files: string[], root = process.cwd()): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const file of files) {
    const name = path.relative(root, path.resolve(root, file)) || file
    findings.push(...(await lintWorkflow(readFileSync(path.resolve(root, file), 'utf8'), name)))
  }
  return findings
}

export function workflowFiles(root: string): string[] {
  const dir = path.join(root, '.github', 'workflows')
  return readdirSync(dir)
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => path.join(dir, name))
}

export function format(finding: Finding): string {
  return `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`
}

async function main(args: string[]): Promise<number> {
  const root = repoRoot()
  const files = args.length > 0 ? args : workflowFiles(root)
  // An empty list would pass silently, as if the workflows were clean.
  if (files.length === 0) {
    console.error('actionlint: no workflow files found in .github/workflows')
    return 1
  }
  const findings = await lintFiles(files, args.length > 0 ? process.cwd() : root)
  for (const finding of findings) console.log(format(finding))
  const count = `${findings.length} finding${findings.length === 1 ? '' : 's'}`
  console.log(`actionlint: ${files.length} workflow files, ${count}`)
  return findings.length > 0 ? 1 : 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2))
}
