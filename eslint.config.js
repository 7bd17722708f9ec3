// Type-checked rules over all TypeScript (each file with the types tsconfig.json gives it) and
// eslint-plugin-jest on the tests: a test that cannot fail (a conditional expect, none at all) is an error.
import jest from 'eslint-plugin-jest'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'torizon/dist/', 'lib/', '.build/', 'node_modules/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // type-aware rules: each file is checked with the types tsconfig.json gives it
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    }
  },
  {
    files: ['__tests__/**/*.ts'],
    extends: [jest.configs['flat/recommended']],
    rules: {
      'jest/no-conditional-expect': 'error',
      // a test must assert: through expect, or a helper named expect… that does
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*'] }]
    }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['error'] }]
    }
  },
  {
    files: ['sim/**', 'scripts/**', '__tests__/**'],
    rules: { 'no-console': 'off' }
  }
)
