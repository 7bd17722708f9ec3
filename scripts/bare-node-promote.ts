/**
 * A floor for `npm run bench`: the HTTP calls of curl-promote.sh made by the plainest Node client
 * (node:http, one stream from socket to file and one from file to socket), with no hashing, no
 * caps, no deadlines and no checks. What the action cannot beat on a given machine and Node:
 * whatever it costs above this is the price of its guarantees and its start-up.
 * usage: node bare-node-promote.js BASE_URL SOURCE_TOKEN TARGET_TOKEN MANIFEST_ID FOLDER_ID OUT_FILE
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs'
import * as http from 'node:http'
import { pipeline } from 'node:stream/promises'

const [base, source, target, manifest, folder, out] = process.argv.slice(2)
if (!base || !source || !target || !manifest || !folder || !out) {
  console.error(
    'usage: node bare-node-promote.js BASE_URL SOURCE_TOKEN TARGET_TOKEN MANIFEST_ID FOLDER_ID OUT_FILE'
  )
  process.exit(2)
}
const agent = new http.Agent({ keepAlive: true })

function request(
  method: string,
  url: string,
  token: string | undefined,
  headers: http.OutgoingHttpHeaders = {}
): { sent: http.ClientRequest; answer: Promise<http.IncomingMessage> } {
  const auth = token ? { Authorization: `Bearer ${token}` } : {}
  const sent = http.request(url, { method, agent, headers: { ...auth, ...headers } })
  const answer = new Promise<http.IncomingMessage>((resolve, reject) =>
    sent.on('response', resolve).on('error', reject)
  )
  return { sent, answer }
}

async function json(
  method: string,
  url: string,
  token: string
): Promise<{ id: number; status?: string }> {
  const { sent, answer } = request(method, url, token)
  sent.end()
  let text = ''
  for await (const chunk of await answer) text += chunk
  return JSON.parse(text) as { id: number; status?: string }
}

async function waitFor(token: string, id: number): Promise<void> {
  while ((await json('GET', `${base}/api/packages/${id}`, token)).status !== 'completed') {
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
}

const exported = await json('POST', `${base}/api/packages/export/${manifest}`, source)
await waitFor(source, exported.id)
const asked = request('GET', `${base}/api/packages/${exported.id}/download`, source)
asked.sent.end()
let download = await asked.answer
if (download.statusCode === 302) {
  download.resume()
  const storage = request('GET', String(download.headers.location), undefined)
  storage.sent.end()
  download = await storage.answer
}
await pipeline(download, createWriteStream(out))

const query = 'restart_recipes=false&include_tags=false'
const upload = request('POST', `${base}/api/packages/import/${folder}?${query}`, target, {
  'Content-Type': 'application/octet-stream',
  'Content-Length': statSync(out).size
})
createReadStream(out).pipe(upload.sent)
let text = ''
for await (const chunk of await upload.answer) text += chunk
await waitFor(target, (JSON.parse(text) as { id: number }).id)
agent.destroy()
