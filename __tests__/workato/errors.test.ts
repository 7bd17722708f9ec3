import { describe, expect, test } from '@jest/globals'
import { workatoMessage } from '../../src/workato/errors.js'

describe("Workato's words from an error body", () => {
  test.each([
    ['{"message":"Folder not found"}', 'Folder not found'],
    ['{"message":"Server error","id":"3188c2d0-aaaa"}', 'Server error (error id 3188c2d0-aaaa)'],
    ['{"id":42}', 'no message (error id 42)'],
    ['{"message":"Export failed","error_parts":["a","b"]}', 'Export failed; ["a","b"]'],
    // the spec's ValidationError: the reasons per field are often the only useful words
    ['{"errors":{"folder_id":["is invalid"]}}', 'folder_id: is invalid'],
    [
      '{"message":"Validation failed","errors":{"restart_recipes":["Package contains running recipes"],"base":["a","b"]}}',
      'Validation failed; restart_recipes: Package contains running recipes; a, b'
    ],
    ['{"errors":["first","second"]}', '["first","second"]'],
    ['{"message":"line\\none\\u202e"}', 'line one'],
    ['not json', undefined],
    ['[1,2]', undefined],
    ['{}', undefined]
  ])('%s', (body, said) => {
    expect(workatoMessage(body)).toBe(said)
  })

  test('a long message is cut, the error id kept whole', () => {
    const said = workatoMessage(JSON.stringify({ message: 'x'.repeat(1000), id: 'abc-123' }))
    // room for a message and its per-field reasons, still one line of a log
    expect(said!.length).toBeLessThan(450)
    expect(said!.endsWith('(error id abc-123)')).toBe(true)
  })
})
