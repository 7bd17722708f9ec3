/** ESM all the way: the @actions packages are ESM only (see README, Development). */
export default {
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
  ],
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000
}
