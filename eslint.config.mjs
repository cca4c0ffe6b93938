import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './eslint/boundaries.mjs';

export default tseslint.config(
  { ignores: ['dist/', '.bench-build/', '.test-build-*/', '.lint-test-*/', 'node_modules/', 'coverage/', 'data/', 'web/dist/', 'web/src/api/schema.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Unused names are mistakes, except the `_`-prefixed ones a signature needs.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' },
      ],
      // Connector registries and a few library seams are typed `any` on purpose; each one is visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...boundaries,
);
