/**
 * ESM all the way: the @actions packages are ESM only (CONTRIBUTING.md, pinned versions), so jest
 * runs under --experimental-vm-modules (the npm scripts pass it). Two projects: `unit` runs the
 * source in process and needs no build; `e2e` runs the built bundles as the runner does.
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    // their JSON imports lack `with { type: 'json' }`: see the transform's comment
    '/node_modules/@actions/(languageservice|workflow-parser)/dist/.+\\.js$':
      '<rootDir>/__tests__/json-imports-transform.mjs'
  },
  transformIgnorePatterns: [
    '/node_modules/(?!@actions/(languageservice|workflow-parser)/)',
    '\\.pnp\\.[^\\/]+$'
  ]
}

export default {
  // a global option: jest ignores it inside a project
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/__tests__/e2e/']
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] }
  ]
}
