// READMEs checked against what the code really prints: the root README's demo
// sample against a run of the demo, byte for byte (its output is the same on every
// run), and the testkit, git and automation READMEs' examples, run as the plain
// JavaScript they say they are, against their output comments.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The fenced code blocks of a Markdown text, with their info string. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1] ?? '',
    code: match[2] ?? '',
  }));
}

/**
 * What a README example says it prints: the `//` comment lines directly
 * below each `console.log(...)` line, in order.
 */
function expectedOutput(code: string): string[] {
  const expected: string[] = [];
  let afterLog = false;
  for (const line of code.split('\n')) {
    const comment = /^\s*\/\/ ?(.*)$/.exec(line);
    if (afterLog && comment) expected.push(comment[1] ?? '');
    else afterLog = line.includes('console.log(');
  }
  return expected;
}

/**
 * Runs each `js` block of a README as an ES module from the repository root, where
 * `@tagsmith/*` resolve to the built packages, and checks that it prints exactly the
 * comments under its `console.log` lines; the README must have at least `minimum`.
 */
async function expectExamplesToPrintTheirComments(path: string, minimum: number): Promise<void> {
  const readme = await readFile(join(repoRoot, path), 'utf8');
  const examples = codeBlocks(readme).filter((block) => block.lang === 'js');
  expect(examples.length).toBeGreaterThanOrEqual(minimum);
  for (const { code } of examples) {
    const expected = expectedOutput(code);
    expect(expected.length).toBeGreaterThan(0);
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', code], {
      cwd: repoRoot,
    });
    expect(stdout.trimEnd().split('\n')).toEqual(expected);
  }
}

describe('READMEs', () => {
  test('the root README shows exactly what the demo prints', {
    timeout: 120_000,
  }, async () => {
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const samples = codeBlocks(readme).filter((block) =>
      block.code.startsWith('== registry.example.com/my-app has these tags\n'),
    );
    expect(samples).toHaveLength(1);
    // What a user sees without a terminal: the demo's and tagsmith's stdout and stderr, in order.
    const { stdout } = await run('sh', ['-c', `"${process.execPath}" examples/demo.mjs 2>&1`], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stdout).toBe(samples[0]!.code);
  });

  test('every testkit README example runs as plain JavaScript and prints its comments', {
    timeout: 60_000,
  }, async () => {
    // The registry, the git fixture, the git server and the GitHub server each have one.
    await expectExamplesToPrintTheirComments('packages/testkit/README.md', 4);
  });

  test('the automation README example runs as plain JavaScript and prints its comments', {
    timeout: 60_000,
  }, async () => {
    // Flux's manifests, loaded and run once against the testkit registry and git server.
    await expectExamplesToPrintTheirComments('packages/automation/README.md', 1);
  });

  test('every git README example runs as plain JavaScript and prints its comments', {
    timeout: 60_000,
  }, async () => {
    // A bot committing to a local repository with updateBranch, and one opening a PR on the testkit GitHub server.
    await expectExamplesToPrintTheirComments('packages/git/README.md', 2);
  });
});
