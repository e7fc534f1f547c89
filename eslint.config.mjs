// npm run check lints with typescript-eslint, type-aware: a promise nobody awaits or catches
// in an async socket handler is a silent failure (no-floating-promises, no-misused-promises).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/build/**',
      '**/build.*/**',
      'dist/**',
      '.data/**',
      'test-results/**',
      'scripts/testing/fixtures/**',
      '**/*.mjs',
      '**/*.cjs',
      '**/*.js',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // a handler declared before the server it needs is assigned once, later: that is fine
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests and test tooling poke at untyped wire data on purpose.
    files: ['**/*.test.ts', '**/testing/**', '**/__fixtures__/**', 'scripts/**', 'src/sandbox/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
