/**
 * A forwarding proxy for tests: answers CONNECT by tunnelling to a local port chosen by host
 * name, so a client that trusts the proxy reaches the simulator under names no DNS knows.
 * It records what it was asked to reach; it cannot see inside the TLS it tunnels.
 */
import * as http from 'node:http'
import * as net from 'node:net'

export class ConnectProxy {
  url = ''
  readonly connects: string[] = []
  private server?: http.Server
  private readonly tunnels = new Set<net.Socket>()

  constructor(private readonly routes: Record<string, { host: string; port: number }>) {}

  async start(): Promise<this> {
    this.server = http.createServer((_req, res) => {
      res.writeHead(405).end('CONNECT only')
    })
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? ''
      this.connects.push(target)
      const [name, port] = target.split(':')
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
