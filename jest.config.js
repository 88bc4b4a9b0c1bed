// SPDX-License-Identifier: Apache-2.0
/**
 * Jest runs every spec on every backend of test/backends/backends.ts: cpu and wasm in
 * Node, webgl in headless Chromium.
 * ts-jest only transpiles (isolatedModules); `npm test` type-checks everything with tsc first.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: 'tsconfig.test.json'}],
  },
  setupFiles: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/backends/global_setup.ts',
  globalTeardown: '<rootDir>/test/backends/global_teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
