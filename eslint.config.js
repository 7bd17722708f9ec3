import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'torizon/dist/', 'lib/', '.build/', 'node_modules/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    // type-aware rules: each file is checked with the types tsconfig.json gives it
    files: ['src/**/*.ts', 'sim/**/*.ts', 'scripts/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
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
