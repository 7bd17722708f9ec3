import { describe, expect, test } from '@jest/globals'
import { changesNothing, planChanges } from '../../src/workato/plan.js'

describe('plan', () => {
  test('added, changed, unchanged and only in target, by content', () => {
    const pkg = new Map([
      ['a.recipe.json', '1'],
      ['b.recipe.json', '2'],
      ['c.connection.json', '3']
    ])
    const snapshot = new Map([
      ['b.recipe.json', '2'],
      ['c.connection.json', 'old'],
      ['z.lookup_table.json', '9']
    ])
    const plan = planChanges(pkg, snapshot)
    expect(plan).toEqual({
      added: ['a.recipe.json'],
      changed: ['c.connection.json'],
      unchanged: ['b.recipe.json'],
      onlyInTarget: ['z.lookup_table.json']
    })
    expect(changesNothing(plan)).toBe(false)
    expect(
      changesNothing(
        planChanges(
          new Map([['b', '2']]),
          new Map([
            ['b', '2'],
            ['x', '1']
          ])
        )
      )
    ).toBe(true)
  })
})
