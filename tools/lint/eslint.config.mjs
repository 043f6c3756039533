// ESLint for Codex Fleet (flat config), run by `npm run lint` from the repository root:
// @eslint/js and typescript-eslint's recommended rules, without type information (the project
// typechecks with TypeScript 7 in `npm run typecheck`; see package.json here for why this folder
// has a TypeScript of its own).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  {
    ignores: ['**/node_modules/**', 'dist/**', '.e2e/**', '.package/**', 'protocol/codex/generated/**', 'sdk/python/**', 'tools/lint/node_modules/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['webview/**/*.ts', 'test/support/webviewHarness.ts', 'test/e2e/**/*.ts', 'bench/webview*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
  {
    // Tests match terminal output, which is made of control characters.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['bin/*.js', '**/*.cjs', 'demo/workspace/**/*.js', 'test/e2e/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
