/** A ready-made pair of workspaces on one simulator, as the tests and the demo use them. */
import { samplePackage } from './zip.js'
import { WorkatoSimulator, type SimulatorOptions } from './workato.js'

export const SOURCE_TOKEN = 'wrkprod-SOURCE-7f3e9a1c2b4d5e6f'
export const TARGET_TOKEN = 'wrkprod-TARGET-0a9b8c7d6e5f4a3b'
export const MANIFEST_ID = '12'
export const FOLDER_ID = '34'
export const RUNNING_FOLDER_ID = '35'
/** An export manifest in the target that covers FOLDER_ID: its export is the snapshot. */
export const SNAPSHOT_MANIFEST_ID = '90'

export function twoWorkspaces(extra: Partial<SimulatorOptions> = {}): WorkatoSimulator {
  return new WorkatoSimulator({
    workspaces: [
      {
        name: 'dev',
        token: SOURCE_TOKEN,
        manifests: {
          [MANIFEST_ID]: samplePackage(['Sync accounts', 'Notify on failure', 'Nightly export'])
        },
        folders: ['7']
      },
      {
        name: 'prod',
        token: TARGET_TOKEN,
        manifests: {},
        folders: [FOLDER_ID, RUNNING_FOLDER_ID],
        runningFolders: [RUNNING_FOLDER_ID],
        folderManifests: { [SNAPSHOT_MANIFEST_ID]: FOLDER_ID }
      }
    ],
    ...extra
  })
}

export function promoteInputs(
  sim: WorkatoSimulator,
  overrides: Record<string, string> = {}
): Record<string, string> {
  return {
    'source-host': sim.apiUrl,
    'source-token': SOURCE_TOKEN,
    'target-host': sim.apiUrl,
    'target-token': TARGET_TOKEN,
    'manifest-id': MANIFEST_ID,
    'folder-id': FOLDER_ID,
    ...overrides
  }
}
