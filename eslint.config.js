import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'torizon/dist/', 'lib/', '.build/', 'node_modules/', 'coverage/'] },
  ...tseslint.configs.recommended,
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
