/**
 * A cancelled workflow sends the step SIGINT, then SIGTERM a few seconds later. Either one ends
 * the run: this turns the first into a rejected promise the pipeline races against, and keeps
 * the second from killing the process before the summary is written.
 */
export class Cancelled extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`cancelled by ${signal}`)
    this.name = 'Cancelled'
  }
}

/**
 * A promise that rejects on the first cancel signal. The listeners stay until `dispose`: after
 * the run's steps, so a second signal during the report is still caught, and none are left
 * behind by a run that was not cancelled (in-process tests run many).
 */
export function whenCancelled(): { promise: Promise<never>; dispose: () => void } {
  const signals = ['SIGINT', 'SIGTERM'] as const
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined
  const promise = new Promise<never>((_resolve, reject) => {
    onSignal = signal => reject(new Cancelled(signal))
  })
  promise.catch(() => undefined)
  for (const signal of signals) process.on(signal, onSignal)
  return {
    promise,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal)
    }
  }
}
