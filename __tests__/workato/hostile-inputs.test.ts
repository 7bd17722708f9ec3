/**
 * Adversarial values in every input, the whole action in process: each is refused with exit 1
 * and an error line naming the input, with no stack trace, no request, and nothing in the log
 * that the runner would take as a workflow command. One injection through the bundle's real
 * stdout stays in e2e/hostile-inputs.
 */
import { ACTION_INPUTS } from '../action-inputs.js'
import { describe, expect, test } from '@jest/globals'
import { expectRefusedInput, useWorld } from '../e2e/world.js'

const CATEGORIES: Record<string, string> = {
  empty: '',
  whitespace: ' \t ',
  huge: '9'.repeat(5000),
  unicode: 'ünïcødé-😀-\u202e',
  negative: '-1',
  traversal: '../../../../etc/passwd',
  'credentials in a URL': 'https://admin:hunter2@evil.example.com',
  'command injection': '1\n::set-output name=outcome::succeeded\n::add-mask::x',
  'stop-commands': '::stop-commands::pwned'
}

/** Categories that are acceptable values for an input (defaults, or legitimately allowed). */
const ALLOWED: Record<string, string[]> = {
  'source-host': ['empty', 'whitespace'],
  'target-host': ['empty', 'whitespace'],
  // any printable ASCII could be a token; Workato is the judge of those
  'source-token': ['negative', 'traversal', 'credentials in a URL', 'stop-commands'],
  'target-token': ['negative', 'traversal', 'credentials in a URL', 'stop-commands'],
  'folder-id-for-home-assets': ['empty', 'whitespace'],
  'restart-recipes': ['empty', 'whitespace'],
  'include-tags': ['empty', 'whitespace'],
  'include-test-cases': ['empty', 'whitespace'],
  'run-tests': ['empty', 'whitespace'],
  'source-folder-id': ['empty', 'whitespace'],
  snapshot: ['empty', 'whitespace'],
  'upload-artifact': ['empty', 'whitespace'],
  // Any path the workflow can write is a legal package-path (its author is trusted): a traversal
  // is not hostile there, and running it would write outside this test's sandbox.
  'package-path': ['empty', 'whitespace', 'unicode', 'negative', 'stop-commands', 'traversal'],
  'package-sha256': ['empty', 'whitespace'],
  'artifact-name': ['empty', 'whitespace', 'unicode', 'negative'],
  'retention-days': ['empty', 'whitespace'],
  'poll-interval': ['empty', 'whitespace'],
  'wait-timeout': ['empty', 'whitespace'],
  'max-package-mb': ['empty', 'whitespace'],
  preflight: ['empty', 'whitespace'],
  'connection-check': ['empty', 'whitespace'],
  'keep-running': ['empty', 'whitespace'],
  'start-new-recipes': ['empty', 'whitespace'],
  mode: ['empty', 'whitespace'],
  'snapshot-manifest-id': ['empty', 'whitespace'],
  'skip-unchanged': ['empty', 'whitespace'],
  'rollback-on-failure': ['empty', 'whitespace'],
  'rate-limits': ['empty', 'whitespace'],
  'project-id': ['empty', 'whitespace'],
  'project-folder-id': ['empty', 'whitespace'],
  'environment-type': ['empty', 'whitespace'],
  'build-id': ['empty', 'whitespace'],
  'package-dir': ['empty', 'whitespace'],
  drift: ['empty', 'whitespace']
}
const INPUTS = ACTION_INPUTS

const cases = INPUTS.flatMap(input =>
  Object.entries(CATEGORIES)
    .filter(([category]) => !(ALLOWED[input] ?? []).includes(category))
    .map(([category, value]) => [input, category, value] as const)
)

const world = useWorld({ runner: 'in-process' }, 'file')

describe('hostile inputs', () => {
  test('every input is attacked', () => {
    expect(new Set(cases.map(c => c[0]))).toEqual(new Set(INPUTS))
    expect(cases.length).toBeGreaterThan(100)
  })

  test.each(cases)('%s: %s', async (input, _category, value) => {
    expectRefusedInput(await world.run({ [input]: value }), world, input)
  })
})
