/** Jest runs the CPU suites in Node and the WebGL suites (test/webgl) in headless Chromium. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: 'tsconfig.json', diagnostics: {warnOnly: false}}],
  },
  setupFiles: ['<rootDir>/test/setup.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
