// Which side of the process boundary may import what (docs/architecture.md, docs/decisions/0002-layering-lint.md).
// The order of the app/ folders among themselves, and the ban on circles, are in .dependency-cruiser.cjs
// (docs/decisions/0090-layers-dependency-cruiser.md); `npm run lint` runs both.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {},
  },
  {
    files: ['app/**/*.ts', 'app/**/*.mjs', 'app/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'app/ is the plain core: it never imports electron (ARCHITECTURE.md layering).' },
            { name: 'react', message: 'app/ is the plain core: it never imports react.' },
            { name: 'react-dom', message: 'app/ is the plain core: it never imports react-dom.' },
          ],
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', 'electron/*', 'react/*', 'react-dom/*'],
              message: 'app/ never imports main/, renderer/, electron or react.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx', 'renderer/**/*.js'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'renderer/ talks to the core only through window.scribe.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'renderer/ runs in Chromium: no node built-ins.' })),
          ],
          patterns: [
            { regex: '(^|/)app/(?!contract/)', message: 'renderer/ may import only types from app/contract.' },
            { group: ['**/main/**'], message: 'renderer/ never imports main/.' },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app/contract/*'], allowTypeImports: true, message: 'renderer/ may import app/contract only with `import type`.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'main/**/*.mjs'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/renderer/**'], message: 'main/ never imports renderer/.' }],
        },
      ],
    },
  },
);
