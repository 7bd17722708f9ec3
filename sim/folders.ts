/**
 * Folders of simulated workspaces and the files imports leave in them: an import adds and
 * replaces files but never deletes (as Workato's do); a failed one stops part-way; exporting a
 * folder zips what it holds now, with a fresh timestamp.
 */
import { makeZip, readZip } from './zip.js'

export class Folders {
  private readonly state = new Map<string, Map<string, Buffer>>()

  /** The files a folder holds now, by path; `initial` is a package zip for its first look. */
  files(workspace: string, folderId: string, initial?: Buffer): Map<string, Buffer> {
    const key = `${workspace}/${folderId}`
    let files = this.state.get(key)
    if (!files) {
      files = new Map()
      if (initial) {
        for (const e of readZip(initial)) if (!e.name.endsWith('/')) files.set(e.name, e.content)
      }
      this.state.set(key, files)
    }
    return files
  }

  /** What an import leaves: every file of the zip, or the first half when it failed part-way. */
  store(files: Map<string, Buffer>, zip: Buffer, partly: boolean): void {
    try {
      const entries = readZip(zip).filter(e => !e.name.endsWith('/'))
      const stored = partly ? entries.slice(0, Math.ceil(entries.length / 2)) : entries
      for (const e of stored) files.set(e.name, e.content)
    } catch {
      // not a readable zip: Workato would have failed the import; nothing stored
    }
  }

  /** The folder as an export would zip it now. */
  zip(files: Map<string, Buffer>): Buffer {
    const sorted = [...files.entries()].sort(([a], [b]) => a.localeCompare(b))
    return makeZip(
      sorted.map(([name, content]) => ({ name, content })),
      new Date()
    )
  }
}
