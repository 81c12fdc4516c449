/**
 * Three tiers (docs/conventions.md): unit specs beside the code, service/e2e specs under test/.
 *
 * Specs are transpiled file by file (`isolatedModules`), without type-checking: `npm run lint`
 * type-checks src, test and scripts with tsc (CI runs it first), and a ts-jest program per worker
 * cost a third of the unit tier's time and about a sixth of the e2e tier's CPU (docs/conventions.md).
 */
const { compilerOptions } = require('./tsconfig.json');

const transpileOnly = [
  'ts-jest',
  { tsconfig: { ...compilerOptions, isolatedModules: true }, diagnostics: { warnOnly: false } },
];

// The OpenAPI document needs the Nest Swagger CLI plugin, as `nest build` applies it, and the plugin
// needs the type checker: docs.e2e-spec.ts runs in a project of its own with the whole program.
const typedWithSwagger = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    // the same Swagger plugin as `nest build`, so the OpenAPI document under test is the real one
    astTransformers: { before: ['<rootDir>/test/support/swagger-transformer.js'] },
    diagnostics: { warnOnly: false },
  },
];
const e2eBase = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  // a global option: per-project testTimeout is ignored by Jest
  testTimeout: 120000,
  // One test file at a time, in a worker that is replaced once its heap passes 2 GB after a file.
  // In one process (--runInBand) every file's Nest app, entities and compiled modules stay
  // reachable (~40 MB a file): the whole suite reached V8's 4 GB heap limit and aborted in CI.
  // A new worker loads the modules again, so not after every few files; `npm test`
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
      transform: { '^.+\\.ts$': transpileOnly },
    },
    {
      ...e2eBase,
      displayName: 'e2e',
      // (a negation here, not testPathIgnorePatterns, which the command line's replaces)
      testMatch: ['**/*.e2e-spec.ts', '**/*.service-spec.ts', '!**/test/e2e/docs.e2e-spec.ts'],
      transform: { '^.+\\.ts$': transpileOnly },
    },
    {
      ...e2eBase,
      displayName: 'openapi',
      testMatch: ['**/test/e2e/docs.e2e-spec.ts'],
      transform: { '^.+\\.ts$': typedWithSwagger },
    },
  ],
};
