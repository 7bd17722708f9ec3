/**
 * The images of a Docker Compose package. An image referenced by tag (`acme/app:1.4.0`) can be
 * pushed again under the same tag after publishing, so the same package version can then mean
 * other software, and Torizon's offline updates (Lockboxes) refuse it; one pinned by digest
 * (`acme/app@sha256:…`) cannot change. Parsed with a kept YAML library, bounded: a compose file
 * is small, and aliases are capped so a crafted one cannot expand without end.
 */
import { promises as fs } from 'node:fs'
import { oneLine } from '../shared/text.js'

/** Compose files larger than this are not read for their images (they are kilobytes). */
export const MAX_COMPOSE_BYTES = 1024 * 1024
const MAX_SERVICES = 500

export interface ServiceImage {
  service: string
  image: string
  pinned: boolean
}

/** The services' images, or why they could not be read. */
export async function composeImages(
  file: string,
  size: number
): Promise<{ images: ServiceImage[] } | { problem: string }> {
  if (size > MAX_COMPOSE_BYTES) {
    return { problem: `it is ${size} bytes, more than a compose file's ${MAX_COMPOSE_BYTES}` }
  }
  // loaded only for a compose package: other publishes never need the parser
  const { parse } = await import('yaml')
  let doc: unknown
  try {
    doc = parse(await fs.readFile(file, 'utf8'), { maxAliasCount: 100, uniqueKeys: true })
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error)
    return { problem: `it is not YAML (${oneLine(said, 200)})` }
  }
  const services = isObject(doc) ? doc.services : undefined
  if (!isObject(services)) return { problem: 'it has no services' }
  const images: ServiceImage[] = []
  for (const [service, spec] of Object.entries(services).slice(0, MAX_SERVICES)) {
    const image = isObject(spec) ? spec.image : undefined
    // a service built from source here has no image to pin; the package could not run it anyway
    if (typeof image !== 'string') continue
    images.push({
      service: oneLine(service, 100),
      image: oneLine(image, 200),
      pinned: /@sha256:[0-9a-f]{64}$/.test(image)
    })
  }
  return { images }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
