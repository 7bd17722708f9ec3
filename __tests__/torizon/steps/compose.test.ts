/**
 * The compose check in process: a Docker Compose package's images, read before anything is sent;
 * a warning per image not pinned by digest, a failure with require-digests.
 */
import { writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { describe, expect, test } from '@jest/globals'
import { newRecord } from '../../../src/torizon/record.js'
import { checkCompose } from '../../../src/torizon/steps/compose.js'
import { checkFile } from '../../../src/torizon/steps/file.js'
import { failure, useSteps } from '../step-world.js'

const steps = useSteps()
const DIGEST = `sha256:${'a'.repeat(64)}`
const warnings = () => steps.log.split('\n').filter(l => l.startsWith('::warning::'))

/** The step's config and record for a compose file holding `text`, checked as the flow does. */
async function composeFile(text: string, inputs: Record<string, string> = {}) {
  await writeFile(path.join(steps.workspace, 'compose.yml'), text)
  const config = steps.config({ 'package-path': 'compose.yml', ...inputs })
  const record = newRecord(config)
  await checkFile(config, record)
  return { config, record }
}

const TAGGED = [
  'services:',
  '  app:',
  '    image: registry.example.com/acme/app:1.4.0',
  '  proxy:',
  `    image: nginx@${DIGEST}`,
  '  build-here:',
  '    build: .',
  ''
].join('\n')

describe('checkCompose', () => {
  test('an image by tag: one warning naming the service and image; the others are fine', async () => {
    const { config, record } = await composeFile(TAGGED)
    await checkCompose(config, record)

    expect(warnings()).toEqual([
      '::warning::Service app: image registry.example.com/acme/app:1.4.0 is not pinned by digest. The ' +
        "image behind it can change while the package version stays 1.4.0, and Torizon's offline " +
        'updates (Lockboxes) refuse it.'
    ])
    expect(record.compose).toEqual([
      { service: 'app', image: 'registry.example.com/acme/app:1.4.0', pinned: false },
      { service: 'proxy', image: `nginx@${DIGEST}`, pinned: true }
    ])
    expect(steps.sim.requests).toEqual([])
  })

  test('require-digests: the images by tag fail the run before anything is sent', async () => {
    const { config, record } = await composeFile(TAGGED, { 'require-digests': 'true' })
    const error = await failure(checkCompose(config, record))

    expect(error.message).toBe(
      '1 image of the compose file is not pinned by digest: registry.example.com/acme/app:1.4.0 ' +
        '(require-digests: true). Pin each image as image@sha256:<digest> (torizoncore-builder platform ' +
        'push --canonicalize does it), or set require-digests: false. Nothing was sent to Torizon Cloud.'
    )
    expect(steps.sim.requests).toEqual([])
  })

  test('every image pinned: no warning, with require-digests too', async () => {
    const { config, record } = await composeFile(
      `services:\n  app:\n    image: acme/app@${DIGEST}\n`,
      { 'require-digests': 'true' }
    )
    await checkCompose(config, record)
    expect(warnings()).toEqual([])
  })

  test.each([
    ['not YAML', 'services: [unclosed\n', /its images could not be read: it is not YAML/],
    ['no services', 'version: "3"\n', /its images could not be read: it has no services/],
    [
      'aliases that would expand without end',
      [
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'services: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        ''
      ].join('\n'),
      /its images could not be read: it is not YAML \(.*alias/i
    ]
  ])('%s: a warning, and with require-digests a failure', async (_what, text, says) => {
    const warned = await composeFile(text)
    await checkCompose(warned.config, warned.record)
    expect(warnings()).toEqual([expect.stringMatching(says)])

    const strict = await composeFile(text, { 'require-digests': 'true' })
    const error = await failure(checkCompose(strict.config, strict.record))
    expect(error.message).toMatch(says)
    expect(error.message).toContain('Nothing was sent to Torizon Cloud.')
  })

  test('a package that is not a compose file is not read as one', async () => {
    const { config, record } = await composeFile('\u0000\u0001 binary', {
      'hardware-id': 'verdin-imx8mp',
      'require-digests': 'true'
    })
    await checkCompose(config, record)
    expect(warnings()).toEqual([])
    expect(record.compose).toBeUndefined()
  })
})
