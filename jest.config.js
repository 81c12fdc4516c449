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
