/** Three tiers (docs/conventions.md): unit specs beside the code, service/e2e specs under test/. */
const tsJest = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    // the same Swagger plugin as `nest build`, so the OpenAPI document under test is the real one
    astTransformers: { before: ['<rootDir>/test/support/swagger-transformer.js'] },
    diagnostics: { warnOnly: false },
  },
];

module.exports = {
  // a global option: per-project testTimeout is ignored by Jest
  testTimeout: 120000,
  // One test file at a time, in a worker that is replaced once its heap passes 2 GB after a file.
  // In one process (--runInBand) every file's Nest app, entities and compiled modules stay
  // reachable (~40 MB a file): the whole suite reached V8's 4 GB heap limit and aborted in CI.
  // A new worker pays ts-jest's program again (10–15 s), so not after every few files; `npm test`
  // gives the worker a 6 GB heap limit (it inherits the `node --max-old-space-size` of Jest).
  maxWorkers: 1,
  workerIdleMemoryLimit: '2GB',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts', '**/*.service-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
