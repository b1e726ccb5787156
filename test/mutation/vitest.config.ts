// The vitest configuration Stryker runs for one package: that package's own tests
// (internals in src/, public API in test/), none of the cross-package suites in test/.
import '../node20-compat.js';
import { defineConfig } from 'vitest/config';

const name = process.env.TAGSMITH_MUTATION_PACKAGE ?? '';

// automation's CLI tests spawn the built dist/cli/main.js, which no mutant reaches (Stryker
// mutates src/), and take most of the package's minute: left out of its mutation runs.
const notMutationRelevant = name === 'automation' ? ['packages/automation/test/cli/**'] : [];

export default defineConfig({
  test: {
    include: [`packages/${name}/src/**/*.test.ts`, `packages/${name}/test/**/*.test.ts`],
    exclude: ['**/node_modules/**', '**/dist/**', ...notMutationRelevant],
  },
});
