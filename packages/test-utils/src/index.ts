// What the tests of every package share. Private and never published: plain
// TypeScript that vitest runs as is and tsconfig.test.json type-checks, so it
// needs no build. Only the root devDependencies name it.
export { expectCode } from './expect-code.js';
export { gitTestEnv } from './git-env.js';
export { expectNoSecret, SECRET_CANARY } from './secret.js';
export { type TempDir, tempDir } from './temp-dir.js';
