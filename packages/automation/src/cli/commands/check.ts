// tagsmith check: see program.ts for its flags and help. loadConfig alone (it parses every
// manifest and every commit message template), so no network and no git: the problems as
// `file:line:column: severity: message (kind)` on stderr, a one-line summary on stdout.

import type { ConfigProblem } from '../../config-types.js';
import { AutomationError } from '../../errors.js';
import { loadConfig } from '../../load-config.js';
import { ExitCode } from '../exit-codes.js';
import { type CliIo, useColor } from '../io.js';
import { printProblems } from '../problems.js';
import { createStyle } from '../style.js';
import { failWith } from './error-line.js';

/** The flags of `tagsmith check`, as commander parses them. */
export interface CheckCommandOptions {
  json?: true;
  quiet?: true;
}

/** What `check --json` prints. */
export interface CheckResult {
  problems: ConfigProblem[];
  imageRepositories: number;
  imagePolicies: number;
  automations: number;
}

/** Validates `config`; resolves to 2 when it has an error (warnings do not fail). */
export async function checkCommand(
  config: string,
  options: CheckCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  let loaded: Awaited<ReturnType<typeof loadConfig>>;
  try {
    loaded = await loadConfig(config, { cwd: io.cwd, env: io.env, signal: io.signal });
  } catch (error) {
    if (error instanceof AutomationError && error.code !== 'ABORTED') {
      return failWith(io, 'check', error.message, ExitCode.usage);
    }
    throw error;
  }
  const errors = loaded.problems.filter((problem) => problem.severity === 'error').length;
  if (options.json === true) {
    const result: CheckResult = {
      problems: loaded.problems,
      imageRepositories: loaded.imageRepositories.length,
      imagePolicies: loaded.imagePolicies.length,
      automations: loaded.automations.length,
    };
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return errors > 0 ? ExitCode.usage : ExitCode.ok;
  }
  const style = createStyle(useColor(io.stderr, io.env));
  const { warnings } = printProblems(loaded.problems, (text) => io.stderr.write(text), style);
  if (options.quiet !== true) io.stdout.write(`${summary(loaded, errors, warnings)}\n`);
  return errors > 0 ? ExitCode.usage : ExitCode.ok;
}

function summary(
  config: { imageRepositories: unknown[]; imagePolicies: unknown[]; automations: unknown[] },
  errors: number,
  warnings: number,
): string {
  const counts = [
    count(config.imageRepositories.length, 'image repository', 'image repositories'),
    count(config.imagePolicies.length, 'policy', 'policies'),
    count(config.automations.length, 'automation', 'automations'),
  ].join(', ');
  const noted = warnings === 0 ? '' : ` (${count(warnings, 'warning', 'warnings')})`;
  return errors === 0
    ? `ok: ${counts}${noted}`
    : `${count(errors, 'error', 'errors')}${warnings === 0 ? '' : `, ${count(warnings, 'warning', 'warnings')}`}; loaded ${counts}`;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
