/**
 * A small zip writer and reader for the simulator and the tests: enough to build synthetic
 * Workato packages and to look inside what the action sent. Not used by the action.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

export interface ZipEntry {
  name: string
  content?: string | Buffer
}

/** Builds a zip the way Workato's exports look: explicit folder entries, deflated files. */
export function makeZip(entries: ZipEntry[], date = new Date(Date.UTC(2026, 0, 1))): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  const dosTime =
    ((date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1)) &
    0xffff
  const dosDate =
    (((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate()) &
    0xffff
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const isDir = entry.name.endsWith('/')
    const raw = isDir ? Buffer.alloc(0) : Buffer.from(entry.content ?? '')
    const method = isDir ? 0 : 8
    const data = isDir ? raw : deflateRawSync(raw)
    const fields: HeaderFields = {
      method,
      crc: crc32(raw),
      compressed: data.length,
      size: raw.length,
      nameLength: name.length,
      flags: 0x0800, // names are UTF-8
      time: dosTime,
      date: dosDate
    }
    const local = localHeader(fields)
    locals.push(local, name, data)
    centrals.push(centralHeader({ ...fields, offset, external: isDir ? 0x10 : 0 }), name)
    offset += local.length + name.length + data.length
  }
  const directory = Buffer.concat(centrals)
  return Buffer.concat([...locals, directory, endRecord(entries.length, directory.length, offset)])
}

/** The fields a zip's local and central headers share. */
interface HeaderFields {
  method: number
  crc: number
  compressed: number
  size: number
  nameLength: number
  flags?: number
  time?: number
  date?: number
}

function localHeader(f: HeaderFields & { extraLength?: number }): Buffer {
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt16LE(f.flags ?? 0, 6)
  local.writeUInt16LE(f.method, 8)
  local.writeUInt16LE(f.time ?? 0, 10)
  local.writeUInt16LE(f.date ?? 0, 12)
  local.writeUInt32LE(f.crc, 14)
  local.writeUInt32LE(f.compressed, 18)
  local.writeUInt32LE(f.size, 22)
  local.writeUInt16LE(f.nameLength, 26)
  local.writeUInt16LE(f.extraLength ?? 0, 28)
  return local
}

function centralHeader(f: HeaderFields & { offset: number; external?: number }): Buffer {
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(f.flags ?? 0, 8)
  central.writeUInt16LE(f.method, 10)
  central.writeUInt16LE(f.time ?? 0, 12)
  central.writeUInt16LE(f.date ?? 0, 14)
  central.writeUInt32LE(f.crc, 16)
  central.writeUInt32LE(f.compressed, 20)
  central.writeUInt32LE(f.size, 24)
  central.writeUInt16LE(f.nameLength, 28)
  central.writeUInt32LE(f.external ?? 0, 38)
  central.writeUInt32LE(f.offset, 42)
  return central
}

function endRecord(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries, 8)
  end.writeUInt16LE(entries, 10)
  end.writeUInt32LE(directorySize, 12)
  end.writeUInt32LE(directoryOffset, 16)
  return end
}

export interface ReadEntry {
  name: string
  content: Buffer
}

/** Reads every entry of a zip through its central directory (data descriptors are fine). */
export function readZip(zip: Buffer): ReadEntry[] {
  let eocd = -1
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip: no end of central directory')
  const count = zip.readUInt16LE(eocd + 10)
  let at = zip.readUInt32LE(eocd + 16)
  const entries: ReadEntry[] = []
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory')
    const method = zip.readUInt16LE(at + 10)
    const compressedSize = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const localOffset = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    const localData =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28)
    const data = zip.subarray(localData, localData + compressedSize)
    entries.push({ name, content: method === 8 ? inflateRawSync(data) : Buffer.from(data) })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** A synthetic package with recipes, a connection and properties, in a folder tree. */
/** The file names of a zip, sorted, its directories left out. */
export function fileNames(zip: Buffer): string[] {
  return readZip(zip)
    .map(e => e.name)
    .filter(n => !n.endsWith('/'))
    .sort()
}

export function samplePackage(
  recipeNames: string[] = ['Sync accounts', 'Notify on failure'],
  version = 1
): Buffer {
  const entries: ZipEntry[] = [
    { name: 'Integrations/' },
    {
      name: 'Integrations/crm_connection.connection.json',
      content: JSON.stringify(
        { name: 'CRM', provider: 'rest', secure_gateway_tunnel_name: null, root_folder: false },
        null,
        2
      )
    }
  ]
  recipeNames.forEach((name, i) => {
    const file = name.toLowerCase().replace(/[^a-z0-9]+/g, '_')
    entries.push({
      name: `Integrations/${file}.recipe.json`,
      content: JSON.stringify(
        {
          name,
          description: `v${version}`,
          version,
          private: true,
          concurrency: 1,
          code: { number: i, keyword: 'trigger' },
          config: []
        },
        null,
        2
      )
    })
  })
  entries.push({
    name: 'account_properties.properties.json',
    content: JSON.stringify({ env: 'synthetic' })
  })
  return makeZip(entries)
}

/**
 * Writes a package of about `size` bytes to `file` without holding it in memory: a few recipe
 * files, then stored entries of random bytes (incompressible, like nothing real, but it makes
 * the size exact and the cost all I/O). Local headers use data descriptors, as streaming
 * writers do.
 */
export async function writeLargePackage(file: string, size: number): Promise<void> {
  const { createWriteStream } = await import('node:fs')
  const { randomFillSync } = await import('node:crypto')
  const out = createWriteStream(file)
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => out.write(chunk, e => (e ? reject(e) : resolve())))
  const central: Buffer[] = []
  let offset = 0
  const entry = async (
    name: string,
    produce: (emit: (b: Buffer) => Promise<void>) => Promise<void>
  ) => {
    const nameBytes = Buffer.from(name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0808, 6) // data descriptor, UTF-8 names
    local.writeUInt16LE(nameBytes.length, 26)
    await write(Buffer.concat([local, nameBytes]))
    let crc = 0
    let length = 0
    await produce(async chunk => {
      crc = crc32(chunk, crc)
      length += chunk.length
      await write(chunk)
    })
    const descriptor = Buffer.alloc(16)
    descriptor.writeUInt32LE(0x08074b50, 0)
    descriptor.writeUInt32LE(crc, 4)
    descriptor.writeUInt32LE(length, 8)
    descriptor.writeUInt32LE(length, 12)
    await write(descriptor)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(0x0808, 8)
    header.writeUInt32LE(crc, 16)
    header.writeUInt32LE(length, 20)
    header.writeUInt32LE(length, 24)
    header.writeUInt16LE(nameBytes.length, 28)
    header.writeUInt32LE(offset, 42)
    central.push(header, nameBytes)
    offset += 30 + nameBytes.length + length + 16
  }
  for (const name of ['Sync accounts', 'Nightly export']) {
    const body = Buffer.from(JSON.stringify({ name, version: 1, code: {} }))
    await entry(`Integrations/${name.toLowerCase().replace(/ /g, '_')}.recipe.json`, emit =>
      emit(body)
    )
  }
  const block = Buffer.alloc(1 << 20)
  let part = 0
  while (offset < size - 200) {
    const target = Math.min(16 << 20, size - offset - 200)
    await entry(`Integrations/data/blob_${part++}.lookup_table.json`, async emit => {
      for (let done = 0; done < target;) {
        const n = Math.min(block.length, target - done)
        randomFillSync(block, 0, n)
        await emit(Buffer.from(block.subarray(0, n)))
        done += n
      }
    })
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(central.length / 2, 8)
  end.writeUInt16LE(central.length / 2, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  await write(Buffer.concat([directory, end]))
  await new Promise<void>(resolve => out.end(resolve))
}

/** Zips that try to hurt whoever lists them, for the inventory's tests. */
export const hostileZips = {
  tooManyEntries: (): Buffer =>
    makeZip(
      Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}.recipe.json`, content: '{}' }))
    ),
  hugeDeclaredSizes: (): Buffer => {
    const zip = Buffer.from(samplePackage())
    // Every central-directory entry claims 4 GiB uncompressed.
    for (
      let at = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
      at >= 0;
      at = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), at + 4)
    ) {
      zip.writeUInt32LE(0xffffffff, at + 24)
    }
    return zip
  },
  escapingNames: (): Buffer =>
    makeZip([
      { name: 'Integrations/' },
      { name: 'Integrations/../../evil.recipe.json', content: '{"name":"x"}' }
    ])
}

/**
 * A hostile zip: `copies` directory entries named r<i>.recipe.json, each declaring `declared`
 * bytes, all pointing at the same deflated entry of `bytes` zeros (overlapping entries: a few KB
 * on disk that a naive reader inflates `copies` times).
 */
export function overlappingZip(copies: number, bytes: number, declared = 1): Buffer {
  const single = makeZip([{ name: 'r0.recipe.json', content: Buffer.alloc(bytes) }])
  const directoryAt = single.readUInt32LE(single.length - 22 + 16)
  const central = single.subarray(directoryAt, single.length - 22)
  const centrals: Buffer[] = []
  for (let i = 0; i < copies; i++) {
    const name = Buffer.from(`r${i}.recipe.json`)
    const header = Buffer.from(central.subarray(0, 46))
    header.writeUInt32LE(declared, 24)
    header.writeUInt16LE(name.length, 28)
    centrals.push(header, name)
  }
  const directory = Buffer.concat(centrals)
  return Buffer.concat([
    single.subarray(0, directoryAt),
    directory,
    endRecord(copies, directory.length, directoryAt)
  ])
}

/**
 * A package whose recipes use connections: `account` names one in the package, null one that is
 * not. A `custom` app is a custom (SDK) connector: its account_id says so, and the package carries
 * the connector itself, as Workato's exports do.
 */
export function packageUsing(
  recipes: Array<{
    name: string
    apps: Array<{
      provider: string
      account: { name: string; folder: string } | null
      custom?: boolean
    }>
  }>
): Buffer {
  const entries: ZipEntry[] = [{ name: 'Integrations/' }]
  const connections = new Map<string, { name: string; provider: string; folder: string }>()
  const connectors = new Set<string>()
  recipes.forEach((recipe, i) => {
    const config = recipe.apps.map(app => {
      if (app.custom) connectors.add(app.provider)
      if (!app.account) {
        return {
          keyword: 'application',
          provider: app.provider,
          skip_validation: false,
          account_id: null
        }
      }
      const base = app.account.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')
      const file = `${app.account.folder ? `${app.account.folder}/` : ''}${base}.connection.json`
      connections.set(file, { ...app.account, provider: app.provider })
      return {
        keyword: 'application',
        provider: app.provider,
        skip_validation: false,
        account_id: {
          zip_name: file,
          name: app.account.name,
          folder: app.account.folder,
          ...(app.custom ? { custom: true } : {})
        }
      }
    })
    entries.push({
      name: `Integrations/recipe_${i}.recipe.json`,
      content: JSON.stringify({
        name: recipe.name,
        version: 1,
        private: true,
        concurrency: 1,
        code: {},
        config
      })
    })
  })
  for (const [file, c] of connections) {
    entries.push({
      name: file,
      content: JSON.stringify({
        name: c.name,
        provider: c.provider,
        secure_gateway_tunnel_name: null,
        root_folder: false
      })
    })
  }
  for (const provider of connectors) {
    entries.push(
      {
        name: `${provider}.custom_adapter.json`,
        content: JSON.stringify({
          name: provider,
          title: `Custom ${provider}`,
          description: null,
          latest_released_version: 1,
          latest_released_version_note: null
        })
      },
      {
        name: `${provider}.custom_adapter.rb`,
        content: `{\n  title: 'Custom ${provider}',\n  connection: { fields: [] },\n  actions: {}\n}\n`
      }
    )
  }
  return makeZip(entries)
}

/**
 * Entries whose central directory records lie apart but whose local headers carry extra fields
 * long enough to point each one's data at the same deflated block: `copies` entries declaring
 * `bytes` each from one block. The directory alone shows no overlap.
 */
export function localExtraBomb(copies: number, bytes: number): Buffer {
  const raw = Buffer.alloc(bytes)
  const data = deflateRawSync(raw, { level: 9 })
  const crc = crc32(raw)
  const names = Array.from({ length: copies }, (_, i) =>
    Buffer.from(`Integrations/blob_${String(i).padStart(3, '0')}.json`)
  )
  const [name] = names
  if (!name) throw new Error('a bomb of no copies')
  const n = name.length
  const spacing = 30 + n + data.length
  const blockAt = copies * spacing
  if (blockAt - 30 - n > 0xffff) throw new Error('too many copies for one extra field to reach')
  const body = Buffer.alloc(blockAt + data.length)
  const centrals: Buffer[] = []
  const fields: HeaderFields = {
    method: 8,
    crc,
    compressed: data.length,
    size: bytes,
    nameLength: n
  }
  names.forEach((name, i) => {
    const at = i * spacing
    localHeader({ ...fields, extraLength: blockAt - (at + 30 + n) }).copy(body, at)
    name.copy(body, at + 30)
    centrals.push(centralHeader({ ...fields, offset: at }), name)
  })
  data.copy(body, blockAt)
  const directory = Buffer.concat(centrals)
  return Buffer.concat([body, directory, endRecord(copies, directory.length, body.length)])
}

/**
 * A recipe as Workato exports it (pretty-printed): a clock trigger and one logger step per
 * `steps`, each with its `as` id, for tests of what changed between releases.
 */
export const recipe = (name: string, steps: Array<{ as: string; name: string }>, version = 1) =>
  JSON.stringify(
    {
      name,
      description: '',
      version,
      private: true,
      concurrency: 1,
      code: {
        number: 0,
        provider: 'clock',
        name: 'scheduled_event',
        as: 'a0a0a0a0',
        keyword: 'trigger',
        input: { time_unit: 'minutes' },
        block: steps.map((s, i) => ({
          number: i + 1,
          provider: 'logger',
          name: s.name,
          as: s.as,
          keyword: 'action',
          input: { message: s.name }
        }))
      },
      config: [
        { keyword: 'application', provider: 'clock', skip_validation: false, account_id: null }
      ]
    },
    null,
    2
  )

/**
 * A small release as Workato exports it: explicit folder entries, pretty-printed JSON, entries
 * unsorted; `version` bumps Sync accounts' save counter, `extraStep` adds a step to it,
 * `withNightly: false` drops a recipe.
 */
export function release(
  options: { version?: number; extraStep?: boolean; withNightly?: boolean } = {}
): Buffer {
  const steps = [{ as: 'b1b1b1b1', name: 'log_message' }]
  if (options.extraStep) steps.push({ as: 'c2c2c2c2', name: 'log_error' })
  const entries: ZipEntry[] = [
    { name: 'sync.recipe.json', content: recipe('Sync accounts', steps, options.version ?? 1) },
    { name: 'Functions/' },
    { name: 'Functions/notify.recipe.json', content: recipe('Notify', []) },
    { name: 'account_properties.properties.json', content: '{\n  "env": null\n}' }
  ]
  if (options.withNightly !== false) {
    entries.push({ name: 'Functions/nightly.recipe.json', content: recipe('Nightly export', []) })
  }
  return makeZip(entries)
}
