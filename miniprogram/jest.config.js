// Three projects: unit (utils + components under jsdom), compile (WeChat's wcc/wcsc on every
// page and component), e2e (our own API module against a real sandbox server).
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/tests/unit/**/*.test.js'],
    },
    {
      displayName: 'compile',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/compile/**/*.test.js'],
      globalSetup: '<rootDir>/tests/compile/global-setup.js',
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.js'],
      globalSetup: '<rootDir>/tests/e2e/global-setup.js',
      globalTeardown: '<rootDir>/tests/e2e/global-teardown.js',
    },
  ],
  testTimeout: 30000,
}
