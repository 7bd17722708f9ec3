/**
 * A token endpoint whose refusal quotes the client secret form-encoded, through the built action
 * (issue 21). Package IDs that are not the release's, values that would run workflow commands if
 * printed raw, and tokens too short to be real ones are logic, in ../torizon/hardening.test.ts.
 */
import { describe, expect, test } from '@jest/globals'
import type { ActionRun } from '../../sim/runner.js'
import { useTorizon } from './torizon-world.js'
import { errorLines, visibleLog } from './world.js'

const world = useTorizon()

// e2e: the leak scan of a real process's output, its stderr and all that the bundle prints
describe('the client secret in a refusal that quotes the form body', () => {
  /** Every character URLSearchParams writes differently from encodeURIComponent, and `*`. */
  const SECRET = "tzs~Q8!m2(Vx7)Lr*4Kp'9Wd~3Ny!6Hb(1Jc)5Tf*0Gz'8Se"
  const FORMS = [
    SECRET,
    encodeURIComponent(SECRET),
    new URLSearchParams({ s: SECRET }).toString().slice(2),
    JSON.stringify(SECRET).slice(1, -1)
  ].flatMap(form => [form, form.replace(/[\\`*_[\]|#~!]/g, '\\$&')])

  /**
   * Any 12 characters of the secret in any of its spellings, anywhere a user could see them: the
   * log as the runner shows it (a command's %25 is a % on screen), the summary, the outputs.
   */
  function secretLeaks(run: ActionRun): string[] {
    const shown = visibleLog(run).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
    const everything = [shown, run.summary, JSON.stringify(run.outputs)].join('\n')
    return FORMS.filter(form => {
      for (let i = 0; i + 12 <= form.length; i++) {
        if (everything.includes(form.slice(i, i + 12))) return true
      }
      return false
    })
  }

  test.each([400, 401] as const)(
    'HTTP %i echoing grant_type=...&client_secret=...: the secret in no spelling anywhere',
    async status => {
      world.sim.tokenRefusalEchoesBody = status
      const run = await world.run({ 'client-secret': SECRET })

      expect(run.code).toBe(1)
      expect(run.outputs.outcome).toBe('failed')
      expect(secretLeaks(run)).toEqual([])
      const [error] = errorLines(run)
      expect(error).toContain(`The token endpoint refused the client credentials (HTTP ${status})`)
      // the echo is shown, the secret is not
      expect(error).toContain('client_id=ci-publisher-7f3a&client_secret=***')
      expect(world.sim.requests.filter(r => r.host === 'api')).toEqual([])
    }
  )
})
