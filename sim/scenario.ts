/** A ready-made pair of workspaces on one simulator, as the tests and the demo use them. */
import { samplePackage } from './zip.js'
import { WorkatoSimulator, type SimulatorOptions, type Workspace } from './workato.js'

export const SOURCE_TOKEN = 'wrkprod-SOURCE-7f3e9a1c2b4d5e6f'
export const TARGET_TOKEN = 'wrkprod-TARGET-0a9b8c7d6e5f4a3b'
export const MANIFEST_ID = '12'
export const FOLDER_ID = '34'
export const RUNNING_FOLDER_ID = '35'
/** A folder of the source workspace, for source-folder-id (empty until `fillSourceFolder`). */
export const SOURCE_FOLDER_ID = '7'

/** The source folder holds a release's recipes; its files, for a test to add to between runs. */
export function fillSourceFolder(sim: WorkatoSimulator): Map<string, Buffer> {
  const dev = sim.workspace('dev')
  dev.folderContents = { [SOURCE_FOLDER_ID]: samplePackage(['Sync accounts', 'Nightly export']) }
  return sim.folderFiles(dev, SOURCE_FOLDER_ID)
}

/** An export manifest in the target that covers FOLDER_ID: its export is the snapshot. */
export const SNAPSHOT_MANIFEST_ID = '90'

/**
 * A second workspace, with Workato Environments: DEV, TEST and PROD, one token each. DEV holds
 * project PROJECT_ID ("Order sync", folder PROJECT_FOLDER_ID); PROD runs an earlier release of
 * it, with two running recipes and an authorized connection; TEST has no project yet.
 */
export const DEV_TOKEN = 'wrkenv-DEV-5c1d2e3f4a5b6c7d'
export const TEST_TOKEN = 'wrkenv-TEST-8e9f0a1b2c3d4e5f'
export const PROD_TOKEN = 'wrkenv-PROD-6a7b8c9d0e1f2a3b'
export const PROJECT_ID = '41'
export const PROJECT_FOLDER_ID = '410'
export const PROD_PROJECT_FOLDER_ID = '9410'
export const PROJECT_NAME = 'Order sync'

export function environmentWorkspaces(): Workspace[] {
  const env = (type: 'dev' | 'test' | 'prod') => ({ of: 'acme', type })
  return [
    {
      name: 'env-dev',
      token: DEV_TOKEN,
      environment: env('dev'),
      manifests: {},
      folders: [PROJECT_FOLDER_ID],
      projects: [{ id: PROJECT_ID, name: PROJECT_NAME, folderId: PROJECT_FOLDER_ID }],
      folderContents: {
        [PROJECT_FOLDER_ID]: samplePackage(['Sync accounts', 'Nightly export'], 2)
      }
    },
    { name: 'env-test', token: TEST_TOKEN, environment: env('test'), manifests: {}, folders: [] },
    {
      name: 'env-prod',
      token: PROD_TOKEN,
      environment: env('prod'),
      manifests: {},
      folders: [PROD_PROJECT_FOLDER_ID],
      projects: [{ id: '9041', name: PROJECT_NAME, folderId: PROD_PROJECT_FOLDER_ID }],
      recipes: [
        { id: 7001, name: 'Sync accounts', folderId: PROD_PROJECT_FOLDER_ID, running: true },
        { id: 7002, name: 'Nightly export', folderId: PROD_PROJECT_FOLDER_ID, running: true }
      ],
      connections: [
        {
          id: 61,
          application: 'rest',
          name: 'CRM',
          folderId: PROD_PROJECT_FOLDER_ID,
          authorizationStatus: 'success'
        }
      ]
    }
  ]
}

/** Mode deploy's inputs against the Environments workspace, the promotion's ids emptied. */
export function deployInputs(
  sim: WorkatoSimulator,
  overrides: Record<string, string> = {}
): Record<string, string> {
  return {
    mode: 'deploy',
    'source-host': sim.apiUrl,
    'source-token': DEV_TOKEN,
    'target-host': '',
    'target-token': '',
    'manifest-id': '',
    'folder-id': '',
    'project-id': PROJECT_ID,
    'environment-type': 'prod',
    ...overrides
  }
}

export function twoWorkspaces(extra: Partial<SimulatorOptions> = {}): WorkatoSimulator {
  return new WorkatoSimulator({
    workspaces: [
      {
        name: 'dev',
        token: SOURCE_TOKEN,
        manifests: {
          [MANIFEST_ID]: samplePackage(['Sync accounts', 'Notify on failure', 'Nightly export'])
        },
        folders: [SOURCE_FOLDER_ID]
      },
      {
        name: 'prod',
        token: TARGET_TOKEN,
        manifests: {},
        folders: [FOLDER_ID, RUNNING_FOLDER_ID],
        runningFolders: [RUNNING_FOLDER_ID],
        folderManifests: { [SNAPSHOT_MANIFEST_ID]: FOLDER_ID }
      },
      ...environmentWorkspaces()
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

/**
 * A target folder the size production ones reach: `folders` subfolders under `rootId` (every
 * third one a level deeper, inside the one before it), `recipes` running recipes, `topRecipes`
 * of them in the root and the others dealt round the subfolders in turn. Deterministic, so a
 * bench run compares with the last. Spread it into a Workspace.
 */
export function bigTarget(options: {
  folders: number
  recipes: number
  topRecipes: number
  rootId: string
  firstFolderId?: number
  firstRecipeId?: number
}): Pick<Workspace, 'subfolders' | 'recipes' | 'folders'> {
  const firstFolder = options.firstFolderId ?? 1000
  const firstRecipe = options.firstRecipeId ?? 5000
  const subfolders: NonNullable<Workspace['subfolders']> = []
  for (let i = 0; i < options.folders; i++) {
    const nested = i % 3 === 2
    subfolders.push({
      id: String(firstFolder + i),
      name: nested ? `Area ${i - 1} steps ${i}` : `Area ${i}`,
      parentId: nested ? String(firstFolder + i - 1) : options.rootId
    })
  }
  const recipes: NonNullable<Workspace['recipes']> = []
  for (let j = 0; j < options.recipes; j++) {
    const top = j < options.topRecipes || subfolders.length === 0
    const folder = top ? undefined : subfolders[(j - options.topRecipes) % subfolders.length]
    recipes.push({
      id: firstRecipe + j,
      name: `Sync ${String(j + 1).padStart(4, '0')}`,
      folderId: folder?.id ?? options.rootId,
      running: true,
      config: [{ keyword: 'application', provider: 'salesforce', account_id: null }]
    })
  }
  return { subfolders, recipes, folders: [options.rootId, ...subfolders.map(f => f.id)] }
}

/** The production folder a real link reported: 7 folders, 48 running recipes. */
export function realLinkTarget(options: {
  rootId: string
  /** Default 6. */
  topRecipes?: number
  firstFolderId?: number
  firstRecipeId?: number
}): Pick<Workspace, 'subfolders' | 'recipes' | 'folders'> {
  return bigTarget({ ...options, folders: 7, recipes: 48, topRecipes: options.topRecipes ?? 6 })
}
