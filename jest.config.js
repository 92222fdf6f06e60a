// Native-ESM Jest (NestJS 12 is ESM-only and Jest cannot require() ESM on Node < 24.9).
// Workspace packages are mapped to their TypeScript sources so unit tests need no build;
// end-to-end tests in test/ spawn the built apps (npm test builds first).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'es6' },
  },
];
const moduleNameMapper = {
  '^@tributary/engine$': '<rootDir>/libs/engine/src/index.ts',
  '^@tributary/engine/expression$': '<rootDir>/libs/engine/src/expression.ts',
  '^@tributary/node-sdk$': '<rootDir>/libs/node-sdk/src/index.ts',
  '^@tributary/customer-store$': '<rootDir>/libs/customer-store/src/index.ts',
  '^@tributary/runtime$': '<rootDir>/libs/runtime/src/index.ts',
  '^@tributary/connector-core$': '<rootDir>/connectors/core/src/index.ts',
  '^@tributary/connector-customer$': '<rootDir>/connectors/customer/src/index.ts',
  '^@tributary/connector-forms$': '<rootDir>/connectors/forms/src/index.ts',
  '^@tributary/connector-ads$': '<rootDir>/connectors/ads/src/index.ts',
  '^@tributary/connector-wechat$': '<rootDir>/connectors/wechat/src/index.ts',
  '^@tributary/connector-pos$': '<rootDir>/connectors/pos/src/index.ts',
  '^@tributary/connector-helpdesk$': '<rootDir>/connectors/helpdesk/src/index.ts',
  '^@tributary/connector-ecommerce$': '<rootDir>/connectors/ecommerce/src/index.ts',
  '^@tributary/connector-files$': '<rootDir>/connectors/files/src/index.ts',
  '^@tributary/connector-notify$': '<rootDir>/connectors/notify/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testTimeout: 60000,
};
export default {
  // One Postgres and one Redis for the whole run, on free loopback ports; each test file
  // creates its own database and queue prefix (test/support/services.ts).
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  maxWorkers: 2,
  // Applies to every project (a project-level testTimeout is ignored by Jest 30).
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/connectors', '<rootDir>/apps'],
      testMatch: ['**/src/**/*.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e.test.ts'],
    },
  ],
};
