// The files mutation testing covers, per package: the core of each package, where a
// surviving mutant means a behaviour no test pins (issue 12 chose them; see
// test/README.md). `pnpm mutation <package>` mutates one entry, `pnpm mutation` all.
export const MUTATION_TARGETS = {
  policy: ['src/version.ts', 'src/range.ts'],
  setters: ['src/verify.ts', 'src/quote.ts'],
  registry: ['src/pagination.ts', 'src/retry.ts', 'src/auth.ts'],
  git: ['src/update-branch.ts', 'src/credentials.ts'],
  automation: [
    'src/config/flux.ts',
    'src/template/lexer.ts',
    'src/template/parse.ts',
    'src/template/format.ts',
  ],
};
