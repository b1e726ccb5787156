// StrykerJS configuration for `pnpm mutation [package]` (test/mutation/run.mjs sets
// TAGSMITH_MUTATION_PACKAGE). Each package is mutated against its own tests only
// (packages/<name>/src and packages/<name>/test), through vitest.config.ts beside this file.
import { MUTATION_TARGETS } from './targets.mjs';

const name = process.env.TAGSMITH_MUTATION_PACKAGE;
const files = MUTATION_TARGETS[name];
if (files === undefined) throw new Error(`no mutation targets for package ${JSON.stringify(name)}`);

export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: files.map((file) => `packages/${name}/${file}`),
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // TypeScript 7 has no JavaScript API for Stryker's tsconfig rewriter; the sandbox is a
  // copy of the whole repository, so no path in a tsconfig needs rewriting.
  tsconfigFile: 'no-tsconfig-rewrite.json',
  ignorePatterns: ['**/dist/**', 'reports', '.stryker-tmp', 'coverage'],
  tempDirName: '.stryker-tmp',
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  clearTextReporter: {
    allowColor: false,
    logTests: false,
    reportMutants: true,
    reportScoreTable: true,
  },
  thresholds: { high: 90, low: 85, break: null },
  // Added to each mutant's measured test time: a mutant that loops is cut off quickly.
  timeoutMS: 3_000,
};
