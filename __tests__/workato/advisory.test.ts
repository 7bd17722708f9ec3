import { beforeAll, afterAll, describe, expect, jest, test } from '@jest/globals'
import { WorkatoErrorAnswer } from '../../src/workato/errors.js'
import { checkOrWarn, type AdvisoryCheck } from '../../src/workato/advisory.js'

beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => {
  jest.restoreAllMocks()
})

const errorAnswer = (status: number, said?: string) =>
  new WorkatoErrorAnswer(`HTTP ${status}`, status, said)
const about = (stopsOn: AdvisoryCheck['stopsOn'], warnings: string[] = []): AdvisoryCheck => ({
  could: 'Could not check folder 34',
  privileges: ['Projects & folders'],
  then: 'the real calls will tell',
  stopsOn,
  warnings
})
const failing = (error: Error) => () => Promise.reject(error)

describe('checkOrWarn', () => {
  test('an answer is passed through', async () => {
    expect(await checkOrWarn(() => Promise.resolve(7), about('nothing'))).toBe(7)
  })

  test('a refused token stops the run unless nothing may decide it', async () => {
    await expect(checkOrWarn(failing(errorAnswer(401)), about('refused token'))).rejects.toThrow(
      'HTTP 401'
    )
    const warnings: string[] = []
    expect(await checkOrWarn(failing(errorAnswer(401)), about('nothing', warnings))).toBeUndefined()
    expect(warnings).toHaveLength(1)
  })

  test('a missing id stops pre-flight; "API not found" (no such endpoint) never does', async () => {
    await expect(
      checkOrWarn(failing(errorAnswer(404, 'Not found')), about('refused token or missing id'))
    ).rejects.toThrow('HTTP 404')
    const warnings: string[] = []
    await checkOrWarn(
      failing(errorAnswer(404, 'API not found')),
      about('refused token or missing id', warnings)
    )
    expect(warnings[0]).toContain('Workato has no such endpoint here')
    await checkOrWarn(failing(errorAnswer(404, 'Not found')), about('refused token', warnings))
    expect(warnings).toHaveLength(2)
  })

  test('a 403 names the privilege; other trouble is quoted; every warning says how the run goes on', async () => {
    const warnings: string[] = []
    await checkOrWarn(failing(errorAnswer(403)), about('refused token', warnings))
    await checkOrWarn(failing(new Error('the connection was reset')), {
      ...about('refused token', warnings),
      privileges: ['Projects & folders', 'Recipes']
    })
    await checkOrWarn(failing(errorAnswer(403)), {
      ...about('refused token', warnings),
      privileges: ['Projects & folders', 'Recipes']
    })
    expect(warnings).toEqual([
      'Could not check folder 34: its API client lacks the "Projects & folders" privilege (HTTP 403). Going on: the real calls will tell.',
      'Could not check folder 34: the connection was reset. Going on: the real calls will tell.',
      'Could not check folder 34: its API client lacks one of the "Projects & folders", "Recipes" privileges (HTTP 403). Going on: the real calls will tell.'
    ])
  })
})
