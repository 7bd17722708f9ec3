/**
 * Failures the user can act on. They are reported as one clear line, never with a stack trace;
 * anything else that escapes is a bug and keeps its stack.
 */
export class ActionError extends Error {
  /**
   * `timed-out`: a wait or the run's time limit ran out, so what was started may still be
   * running; each platform says what its outcome is then.
   */
  constructor(
    message: string,
    readonly ending: 'failed' | 'timed-out' = 'failed'
  ) {
    super(message)
    this.name = 'ActionError'
  }
}

export class InputError extends ActionError {
  /** `line` replaces the usual wording where the input is not one the action declares. */
  constructor(
    readonly input: string,
    problem: string,
    line = `Input '${input}' ${problem}`
  ) {
    super(line)
    this.name = 'InputError'
  }
}

export class InputErrors extends ActionError {
  constructor(readonly errors: InputError[]) {
    super(errors.map(e => e.message).join('\n'))
    this.name = 'InputErrors'
  }
}
