// tagsmith run under a pseudo-terminal (util-linux `script`): the live progress lines are
// drawn with escape codes and end cleanly (cursor shown again, a final newline); the same
// run with pipes instead has no escape code at all.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startRegistry, type TestRegistry } from '@tagsmith/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_TAGS } from '../helpers.js';
import { type Scenario, seedScenario } from './scenario.js';
import { TAGSMITH, tagsmith } from './tagsmith.js';

const SCRIPT = '/usr/bin/script';
const TIMEOUT = 60_000;
const ESC = '\u001b';

/** One word for sh, whatever it holds. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Runs tagsmith with a terminal as stdin, stdout and stderr; resolves to what it drew. */
function underPty(args: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, TAGSMITH, ...args].map(shellQuote).join(' ');
  const child = spawn(SCRIPT, ['-qfec', command, '/dev/null'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      TERM: 'xterm-256color',
      COLUMNS: '120',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT - 5_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let registry: TestRegistry;
let scenario: Scenario;
beforeAll(async () => {
  registry = await startRegistry();
  await registry.pushTags('my-app', SEED_TAGS);
  scenario = await seedScenario();
});
afterAll(async () => {
  await scenario.close();
  await registry.close();
});

describe.skipIf(!existsSync(SCRIPT))('tagsmith run on a terminal', () => {
  it(
    'draws live progress lines and ends them cleanly; without a terminal, no escape code',
    async () => {
      const args = ['run', scenario.dir, '--host', `registry.example.com=${registry.url}`];
      const { code, output } = await underPty(args);
      expect(code).toBe(0);
      expect(output).toContain(`${ESC}[?25l`);
      expect(output).toContain(`${ESC}[2K`);
      // Redrawn in place: up over the repository line and the automation line.
      expect(output).toContain(`${ESC}[2A`);
      // The last frame: each line's final state (the marker's color closes before the text).
      expect(output).toContain(`✓${ESC}[39m flux-system/my-app  6 tags\r\n`);
      expect(output).toContain(`✓${ESC}[39m flux-system/flux-system  pushed\r\n${ESC}[?25h`);
      // The cursor is shown again after it was last hidden, and the output ends a line.
      expect(output.lastIndexOf(`${ESC}[?25h`)).toBeGreaterThan(output.lastIndexOf(`${ESC}[?25l`));
      expect(output).toMatch(/\n$/);
      // stdout is a terminal too: the report is colored.
      expect(output).toContain(`${ESC}[32mpushed `);

      const piped = await tagsmith(args);
      expect(piped.code).toBe(0);
      expect(piped.stdout).toContain('automation flux-system/flux-system: no change\n');
      expect(piped.stderr).toContain('automation flux-system/flux-system: no-change\n');
      expect(piped.stdout).not.toContain(ESC);
      expect(piped.stderr).not.toContain(ESC);
    },
    TIMEOUT,
  );

  it(
    'keeps --json output plain on a terminal, with the live lines on stderr only',
    async () => {
      const args = ['run', scenario.dir, '--host', `registry.example.com=${registry.url}`];
      const { code, output } = await underPty([...args, '--json', '--dry-run']);
      expect(code).toBe(0);
      // The report comes after the progress display has shown the cursor again.
      const shown = `${ESC}[?25h`;
      const json = output.slice(output.lastIndexOf(shown) + shown.length).replaceAll('\r\n', '\n');
      expect(JSON.parse(json)).toMatchObject({ dryRun: true });
      expect(json).not.toContain(ESC);
      const quiet = await underPty([...args, '--json', '--quiet', '--dry-run']);
      expect(quiet.output).not.toContain(`${ESC}[?25l`);
    },
    TIMEOUT,
  );
});
