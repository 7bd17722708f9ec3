import { beforeAll, afterAll, describe, expect, jest, test } from '@jest/globals'
import { WorkatoRefusal } from '../../src/workato/errors.js'
import { lookOrWarn, type Looking } from '../../src/workato/look.js'

beforeAll(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})
afterAll(() => {
  jest.restoreAllMocks()
})

const refusal = (status: number, said?: string) =>
  new WorkatoRefusal(`HTTP ${status}`, status, said)
const about = (decides: Looking['decides'], warnings: string[] = []): Looking => ({
  could: 'Could not check folder 34',
  privileges: ['Projects & folders'],
  then: 'the real calls will tell',
  decides,
  warnings
})
const failing = (error: unknown) => () => Promise.reject(error)

describe('lookOrWarn', () => {
  test('an answer is passed through', async () => {
    expect(await lookOrWarn(() => Promise.resolve(7), about('nothing'))).toBe(7)
  })

  test('a refused token stops the run unless nothing may decide it', async () => {
    await expect(lookOrWarn(failing(refusal(401)), about('token'))).rejects.toThrow('HTTP 401')
    const warnings: string[] = []
    expect(await lookOrWarn(failing(refusal(401)), about('nothing', warnings))).toBeUndefined()
    expect(warnings).toHaveLength(1)
  })

  test('a missing id stops pre-flight; "API not found" (no such endpoint) never does', async () => {
    await expect(
      lookOrWarn(failing(refusal(404, 'Not found')), about('token and ids'))
    ).rejects.toThrow('HTTP 404')
    const warnings: string[] = []
    await lookOrWarn(failing(refusal(404, 'API not found')), about('token and ids', warnings))
    expect(warnings[0]).toContain('Workato has no such endpoint here')
    await lookOrWarn(failing(refusal(404, 'Not found')), about('token', warnings))
    expect(warnings).toHaveLength(2)
  })

  test('a 403 names the privilege; other trouble is quoted; every warning says how the run goes on', async () => {
    const warnings: string[] = []
    await lookOrWarn(failing(refusal(403)), about('token', warnings))
    await lookOrWarn(failing(new Error('the connection was reset')), {
      ...about('token', warnings),
      privileges: ['Projects & folders', 'Recipes']
    })
    await lookOrWarn(failing(refusal(403)), {
      ...about('token', warnings),
      privileges: ['Projects & folders', 'Recipes']
    })
    expect(warnings).toEqual([
      'Could not check folder 34: its API client lacks the "Projects & folders" privilege (HTTP 403). Going on: the real calls will tell.',
      'Could not check folder 34: the connection was reset. Going on: the real calls will tell.',
      'Could not check folder 34: its API client lacks one of the "Projects & folders", "Recipes" privileges (HTTP 403). Going on: the real calls will tell.'
    ])
  })
})
