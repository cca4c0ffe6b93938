// The layout rules, shared by eslint.config.mjs and the test that shows they fail the build.
import { noFolderCycles } from './no-folder-cycles.mjs';

export const boundaries = [
  {
    plugins: { parley: { rules: { 'no-folder-cycles': noFolderCycles } } },
    rules: { 'parley/no-folder-cycles': 'error' },
  },
  {
    // Connectors are platform adapters: they know nothing of the core.
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src', '**/src/**'], message: 'connectors/ must not import src/: the core depends on connectors, never the reverse.' }] },
      ],
    },
  },
];
