import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';

/**
 * Lint, including the architecture's boundaries (README, "Architecture"):
 * - only src/aws imports @aws-sdk/*; only src/prompt imports @inquirer/*; src/ui imports neither src/aws nor commands;
 * - no command imports another command (they share src/codedeploy, src/store, src/diagnose, src/kb);
 * - src/cli (the command line) imports a command's types only: the command itself loads when it runs;
 * - no import cycle anywhere in src;
 * - type-aware rules on src: no floating or misused promises.
 */

const commands = readdirSync(new URL('./src/commands', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const SDK = { group: ['@aws-sdk/*'], message: 'Only src/aws talks to the AWS SDK: add a port there.' };
const INQUIRER = { group: ['@inquirer/*'], message: 'Only src/prompt imports @inquirer: ask through the Prompter or the I/O host.' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'src/kb/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', performance: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { patterns: [SDK, INQUIRER] }],
    },
  },
  { files: ['src/aws/**'], rules: { 'no-restricted-imports': ['error', { patterns: [INQUIRER] }] } },
  { files: ['src/prompt/**'], rules: { 'no-restricted-imports': ['error', { patterns: [SDK] }] } },
  {
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [SDK, INQUIRER, { group: ['**/aws/**', '**/commands/**'], message: 'The UI only renders: it gets data from commands, never AWS or commands themselves.' }] },
      ],
    },
  },
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            SDK,
            INQUIRER,
            { group: ['**/commands/**'], allowTypeImports: true, message: 'The command line loads a command only when it runs: import its types here, the command with import() in the action.' },
          ],
        },
      ],
    },
  },
  ...commands.map((command) => ({
    files: [`src/commands/${command}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            SDK,
            INQUIRER,
            {
              group: commands.filter((other) => other !== command).flatMap((other) => [`**/commands/${other}/**`, `../${other}/**`]),
              message: 'A command never imports another command: move what they share to src/codedeploy, src/store or src/diagnose.',
            },
          ],
        },
      ],
    },
  })),
);
