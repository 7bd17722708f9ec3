/**
 * What any simulated HTTP service needs to misbehave on cue, naming no platform: faults queued
 * per route and played before a handler (answers) or during a body (content), hosts that stop
 * listening for a while and come back, and plain JSON answers. A Torizon simulator reuses it.
 */
import { createReadStream, promises as fs } from 'node:fs'
import * as http from 'node:http'
import * as net from 'node:net'

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'html' }
  | { kind: 'json'; body: unknown }
  | { kind: 'redirect'; location: string }
  | { kind: 'hang'; ms: number }
  /** 200 with a body that is neither JSON nor a zip. */
  | { kind: 'text' }
  /** JSON routes: headers and half a body, then the connection is dropped. */
  | { kind: 'reset-mid-body' }
  /** Content routes: the whole body, but a Content-Length 100 bytes short. */
  | { kind: 'overlong' }
  /** Content routes: half the body, then nothing for `ms`, then the connection is dropped. */
  | { kind: 'stall'; ms: number }
  /** JSON routes: 200 and headers at once, then one byte every `ms`, never ending. */
  | { kind: 'trickle'; ms: number }
  /** JSON routes: 200 with a JSON body of about `bytes` bytes. */
  | { kind: 'big-json'; bytes: number }
  /** Content routes: 200 without Content-Length, and bytes until the client goes away. */
  | { kind: 'endless' }
  /** Content routes: 200 declaring `length` bytes, then bytes until the client goes away. */
  | { kind: 'declare'; length: number }

/** Faults played by the content routes themselves, mid-body, not before the handler. */
const CONTENT_FAULTS = new Set<Fault['kind']>([
  'truncate',
  'overlong',
  'stall',
  'endless',
  'declare'
])

/** Faults waiting for the next requests to each route, in order. */
export class FaultQueue<Route extends string> {
  private readonly queues = new Map<Route, Fault[]>()

  add(route: Route, fault: Fault, times = 1): void {
    const queue = this.queues.get(route) ?? []
    for (let i = 0; i < times; i++) queue.push(fault)
    this.queues.set(route, queue)
  }

  /** The next fault for `route`, if it is of `kind` (any kind when not given). */
  take(route: Route, kind?: Fault['kind']): Fault | undefined {
    const queue = this.queues.get(route)
    const next = queue?.[0]
    if (!next || (kind && next.kind !== kind)) return undefined
    return queue?.shift()
  }

  /** The next answer fault for `route`, taken; content faults wait for the body. */
  takeAnswer(route: Route): Fault | undefined {
    const next = this.queues.get(route)?.[0]
    return next && !CONTENT_FAULTS.has(next.kind) ? this.take(route) : undefined
  }

  /** Content faults in turn: a route serving a body asks for each kind it can play. */
  takeContent(route: Route): Fault | undefined {
    const next = this.queues.get(route)?.[0]
    return next && CONTENT_FAULTS.has(next.kind) ? this.take(route) : undefined
  }

  pending(): number {
    let n = 0
    for (const queue of this.queues.values()) n += queue.length
    return n
  }
}

/** Plays an answer fault in place of the handler. */
export async function playAnswer(
  fault: Fault,
  req: http.IncomingMessage,
  res: http.ServerResponse
): Promise<void> {
  req.resume()
  switch (fault.kind) {
    case 'status':
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers })
      return void res.end(
        fault.body ?? JSON.stringify({ message: `Simulated HTTP ${fault.status}` })
      )
    case 'reset':
      return void req.socket.destroy()
    case 'html':
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return void res.end(
        '<html><body><h1>502 Bad Gateway</h1><p>corporate-proxy</p></body></html>'
      )
    case 'json':
      return json(res, 200, fault.body)
    case 'redirect':
      res.writeHead(302, { Location: fault.location })
      return void res.end()
    case 'text':
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      return void res.end('OK')
    case 'reset-mid-body':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 200 })
      return void res.write('{"id": 24', () => res.destroy())
    case 'hang':
      await untilClosedOr(res, fault.ms)
      if (!res.destroyed) json(res, 200, { message: 'too late' })
      return
    case 'trickle': {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write('{"id": 240, "status": "in_progress", "padding": "')
      const timer = setInterval(() => res.write('x'), fault.ms)
      return void res.on('close', () => clearInterval(timer))
    }
    case 'big-json':
      return json(res, 200, { id: 240, status: 'in_progress', padding: 'x'.repeat(fault.bytes) })
  }
}

/** Sends a zip (bytes or a file), played through a content fault when one is given. */
export async function sendContent(
  res: http.ServerResponse,
  content: Buffer | { file: string },
  fault?: Fault
): Promise<void> {
  const size = Buffer.isBuffer(content) ? content.length : (await fs.stat(content.file)).size
  const bytes = Buffer.isBuffer(content) ? content : undefined
  const half = () => (bytes ? bytes.subarray(0, size >> 1) : Buffer.alloc(size >> 1))
  switch (fault?.kind) {
    case 'truncate':
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': size })
      return void res.write(half(), () => res.destroy())
    case 'stall':
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': size })
      res.write(half())
      return void setTimeout(() => res.destroy(), fault.ms).unref()
    case 'endless':
    case 'declare': {
      const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/zip' }
      if (fault.kind === 'declare') headers['Content-Length'] = fault.length
      res.writeHead(200, headers)
      return streamUntilClosed(res)
    }
    case 'overlong':
      if (bytes) {
        // Written raw: Node's server would refuse to send more than its Content-Length.
        const head = `HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: ${size - 100}\r\nConnection: close\r\n\r\n`
        return void res.socket?.end(Buffer.concat([Buffer.from(head), bytes]))
      }
  }
  res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': size })
  if (bytes) return void res.end(bytes)
  createReadStream((content as { file: string }).file, { highWaterMark: 1 << 20 }).pipe(res)
}

/**
 * Named hosts, each an HTTP server fed raw sockets by a listener of its own, so a host can stop
 * listening for a while (connections refused, as when a service restarts) and come back.
 */
export class Hosts<Name extends string> {
  private readonly listeners = new Map<Name, net.Server>()
  private readonly servers = new Map<Name, { server: http.Server; address: string; port: number }>()
  private readonly timers: NodeJS.Timeout[] = []

  async listen(name: Name, server: http.Server, address: string, port = 0): Promise<number> {
    const listener = net.createServer(socket => server.emit('connection', socket))
    this.listeners.set(name, listener)
    const bound = await new Promise<number>((resolve, reject) => {
      listener.once('error', reject)
      listener.listen(port, address, () => resolve((listener.address() as net.AddressInfo).port))
    })
    this.servers.set(name, { server, address, port: bound })
    return bound
  }

  /** `name` refuses connections for `ms`, then listens again on the same port. */
  refuseFor(name: Name, ms: number): void {
    const host = this.servers.get(name)
    if (!host) return
    this.listeners.get(name)?.close()
    this.timers.push(
      setTimeout(() => void this.listen(name, host.server, host.address, host.port), ms)
    )
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    for (const listener of this.listeners.values()) listener.close()
    for (const { server } of this.servers.values()) {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** A handler that threw: a 500 if nothing was sent yet, else the connection is dropped. */
export function fail(res: http.ServerResponse, error: unknown): void {
  if (!res.headersSent) json(res, 500, { message: `simulator error: ${String(error)}` })
  else res.destroy()
}

/** Until `ms` have passed or the client has gone, whichever comes first. */
function untilClosedOr(res: http.ServerResponse, ms: number): Promise<void> {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms)
    res.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Writes zeros as fast as the client reads them, until it goes away. */
function streamUntilClosed(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(256 * 1024)
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
  }
  res.on('drain', pump)
  res.on('close', () => res.off('drain', pump))
  pump()
}
