/**
 * A Docker Compose package's images, checked before anything is sent: a warning per image not
 * pinned by digest, and with require-digests a failure, so a version cannot come to mean other
 * software later (../compose.ts says why).
 */
import * as core from '@actions/core'
import { ActionError } from '../../shared/errors.js'
import { need } from '../../shared/inputs.js'
import { plural } from '../../shared/text.js'
import { composeImages } from '../compose.js'
import type { Config } from '../inputs.js'
import type { RunRecord } from '../record.js'

/** The hardware ID Torizon gives application packages: the file is a Docker Compose file. */
export const COMPOSE_HARDWARE_ID = 'docker-compose'

export async function checkCompose(config: Config, record: RunRecord): Promise<void> {
  if (!config.hardwareIds.includes(COMPOSE_HARDWARE_ID)) return
  const file = need(record.file)
  const read = await composeImages(file.path, file.size)
  const refuse = (why: string) =>
    new ActionError(
      `${why} (require-digests: true). Pin each image as image@sha256:<digest> (torizoncore-builder ` +
        'platform push --canonicalize does it), or set require-digests: false. Nothing was sent to Torizon Cloud.'
    )
  if ('problem' in read) {
    const why = `The package is published as a Docker Compose file, but its images could not be read: ${read.problem}`
    if (config.requireDigests) throw refuse(why)
    core.warning(`${why}. Whether its images are pinned by digest is not known.`)
    return
  }
  record.compose = read.images
  const unpinned = read.images.filter(i => !i.pinned)
  for (const { service, image } of unpinned) {
    core.warning(
      `Service ${service}: image ${image} is not pinned by digest. The image behind it can change while ` +
        `the package version stays ${config.version}, and Torizon's offline updates (Lockboxes) refuse it.`
    )
  }
  if (unpinned.length > 0 && config.requireDigests) {
    throw refuse(
      `${plural(unpinned.length, 'image')} of the compose file ${unpinned.length === 1 ? 'is' : 'are'} not pinned by digest: ` +
        unpinned.map(i => i.image).join(', ')
    )
  }
}
