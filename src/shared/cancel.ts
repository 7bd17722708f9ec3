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

export function whenCancelled(): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => reject(new Cancelled(signal)))
    }
  })
}
