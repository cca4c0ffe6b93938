/**
 * Two projects:
 * - unit: pure code next to it in src/ and connectors/ (parsers, rules, fakes on 127.0.0.1); needs neither
 *   PostgreSQL nor Redis: `npx jest --selectProjects unit`.
 * - integration: test/integration/ and any `*.integration.test.ts`, against the real PostgreSQL and Redis named by
 *   TEST_DATABASE_URL / REDIS_URL (see README); a migrated template database is made once per run.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const integration = ['<rootDir>/test/integration/', '\\.integration\\.test\\.ts$'];

module.exports = {
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/connectors', '<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...integration],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/connectors', '<rootDir>/test'],
      testMatch: integration.map((p) => (p.startsWith('<rootDir>') ? `${p}**/*.test.ts` : `**/*.integration.test.ts`)),
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
