import { describe, expect, test } from '@jest/globals'
import { HttpStatusError } from '../../src/shared/http/retry.js'
import { queryString } from '../../src/torizon/api.js'
import {
  explainFailure,
  MayHaveArrived,
  torizonMessage,
  TorizonErrorAnswer
} from '../../src/torizon/errors.js'

const facts = { apiUrl: 'https://app.torizon.io/api/v2beta', attempts: 1, isWrite: true }
const call = { what: 'the upload of version 1 of app' }

describe('torizon errors', () => {
  test("Torizon's own words: msg, description, code and the error id whole", () => {
    expect(
      torizonMessage(
        JSON.stringify({
          code: 'conflicting_entity',
          msg: 'Entity already exists',
          description: 'name and version taken',
          errorId: 'abc-123'
        })
      )
    ).toBe('Entity already exists; name and version taken [conflicting_entity] (error id abc-123)')
    expect(torizonMessage('<html>502</html>')).toBeUndefined()
    expect(torizonMessage('{}')).toBeUndefined()
  })

  test('a status answer is a refusal carrying its status, for callers to sort (409, 5xx)', () => {
    const error = explainFailure(
      new HttpStatusError(409, undefined, '{"msg":"exists"}', 'HTTP 409'),
      call,
      facts
    )
    expect(error).toBeInstanceOf(TorizonErrorAnswer)
    expect((error as TorizonErrorAnswer).status).toBe(409)
    expect(error.message).toBe(
      'Torizon Cloud answered HTTP 409 to the upload of version 1 of app: "exists". Try again later.'
    )
  })

  test('a reset during a write may have arrived; during a read it is a network failure', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    expect(explainFailure(reset, call, facts)).toBeInstanceOf(MayHaveArrived)
    const read = explainFailure(
      reset,
      { what: 'the look-up' },
      { ...facts, isWrite: false, attempts: 5 }
    )
    expect(read).not.toBeInstanceOf(MayHaveArrived)
    expect(read.message).toBe(
      'The look-up failed after 5 tries: the connection was reset (https://app.torizon.io/api/v2beta). Check api-url and the network.'
    )
  })

  test('a rate limit that outlasted the retries says so', () => {
    const error = explainFailure(new HttpStatusError(420, 1000, '', 'HTTP 420'), call, {
      ...facts,
      attempts: 5
    })
    expect(error.message).toBe(
      'Torizon Cloud answered HTTP 420 to the upload of version 1 of app after 5 tries. The API client is over its rate limit; try again later.'
    )
  })

  test('query values are data: & = + space and / are encoded, names repeat', () => {
    expect(
      queryString([
        ['name', 'team/app'],
        ['version', '1.0&x=y+z'],
        ['hardwareId', 'a b'],
        ['hardwareId', 'c']
      ])
    ).toBe('name=team%2Fapp&version=1.0%26x%3Dy%2Bz&hardwareId=a%20b&hardwareId=c')
  })
})
