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
  // Test files run in a vm context, where every call of a global's method (Math.sqrt,
  // Math.imul, ...) goes through an interceptor: 160 ns a call here instead of 1-10 ns
  // (jestjs/jest#5163, nodejs/node#31658). The float64 references and the seeded data are
  // made of such calls; injecting Math makes them run at Node's speed.
  sandboxInjectedGlobals: ['Math'],
  testTimeout: 60000,
  maxWorkers: 2,
};
