/**
 * A forwarding proxy for tests: answers CONNECT by tunnelling to a local port chosen by host
 * name, so a client that trusts the proxy reaches the simulator under names no DNS knows, and
 * forwards plain http requests.
 * It records what it was asked to reach; it cannot see inside the TLS it tunnels.
 */
import * as http from 'node:http'
import * as net from 'node:net'

export class ConnectProxy {
  url = ''
  readonly connects: string[] = []
  /** Plain http requests forwarded, as "METHOD host:port". */
  readonly forwarded: string[] = []
  /** Proxy-Authorization headers received, to check credentials reach the proxy and no further. */
  readonly authorizations: string[] = []
  private server?: http.Server
  private readonly tunnels = new Set<net.Socket>()

  constructor(private readonly routes: Record<string, { host: string; port: number }>) {}

  async start(): Promise<this> {
    // Plain http requests come with an absolute URL: forwarded as they are (the Azure SDK that
    // @actions/artifact uses sends its blob uploads through the proxy this way).
    this.server = http.createServer((req, res) => {
      const target = new URL(req.url ?? '')
      this.forwarded.push(`${req.method} ${target.host}`)
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: target.pathname + target.search,
          headers: req.headers
        },
        answer => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? ''
      this.connects.push(target)
      if (req.headers['proxy-authorization'])
        this.authorizations.push(req.headers['proxy-authorization'])
      // a split gives one part at least: the default is never used
      const [name = '', port] = target.split(':')
      const route = this.routes[`${name}:${port}`] ?? this.routes[name]
      if (!route) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
        return
      }
      this.tunnels.add(client)
      client.on('close', () => this.tunnels.delete(client))
      const upstream = net.connect(route.port, route.host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    for (const socket of this.tunnels) socket.destroy()
    this.server?.closeAllConnections()
    await new Promise(resolve => this.server?.close(resolve))
  }
}
