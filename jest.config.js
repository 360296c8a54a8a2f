/** Three tiers: unit specs beside the code, e2e specs under test/ (real Postgres, mock Kafka, loopback fakes). */
const moduleNameMapper = {
  '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
// `jest --selectProjects e2e some.spec.ts` swallows the path as a project name and
// runs everything (the flag is variadic); honour such paths so one file can be run.
const pathArgs = process.argv.slice(2).filter((a) => /(spec|e2e-spec)\.ts$/.test(a) || /^(test|libs|apps)\//.test(a));
const narrow = (globs, suffix) => (pathArgs.length ? pathArgs.map((a) => `<rootDir>/${a.replace(/\/$/, '')}${a.endsWith('.ts') ? '' : `/**/*${suffix}`}`) : globs);
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: narrow(['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'], '.spec.ts').filter((g) => !g.includes('e2e-spec') && !g.startsWith('<rootDir>/test/')),
      moduleNameMapper,
      transform,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: narrow(['<rootDir>/test/**/*.e2e-spec.ts'], '.e2e-spec.ts').filter((g) => g.startsWith('<rootDir>/test/')),
      moduleNameMapper,
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-setup.ts'],
      testTimeout: 120000,
      slowTestThreshold: 30,
    },
  ],
};
