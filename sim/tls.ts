/** A throwaway certificate for the simulator's https mode, made with openssl. */
import { execFileSync } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export interface Certificate {
  key: string
  cert: string
  /** The PEM file to give the action as NODE_EXTRA_CA_CERTS. */
  certFile: string
  dir: string
}

export async function makeCertificate(names: string[]): Promise<Certificate> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sim-tls-'))
  const keyFile = path.join(dir, 'key.pem')
  const certFile = path.join(dir, 'cert.pem')
  const san = names.map(n => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${names[0]}`
    ].concat(['-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile]),
    { stdio: 'ignore' }
  )
  return {
    key: await fs.readFile(keyFile, 'utf8'),
    cert: await fs.readFile(certFile, 'utf8'),
    certFile,
    dir
  }
}
