// Config problems as compilers print them, `file:line:column: error: message (kind)`, so
// editors and CI annotate the line; shared by `run` and `check`.

import type { ConfigProblem } from '../config-types.js';
import { oneLine } from './one-line.js';
import type { Style } from './style.js';

/** One problem on one line. */
export function formatProblem(problem: ConfigProblem, style: Style): string {
  const { file, line, column } = problem.location;
  const severity =
    problem.severity === 'error' ? style.red('error') : style.yellow(problem.severity);
  const message = oneLine(problem.message);
  return `${style.bold(`${file}:${line}:${column}`)}: ${severity}: ${message} ${style.dim(`(${problem.kind})`)}`;
}

/** Prints every problem on `write`'s stream and says whether any is an error. */
export function printProblems(
  problems: readonly ConfigProblem[],
  write: (text: string) => unknown,
  style: Style,
): { errors: number; warnings: number } {
  let errors = 0;
  for (const problem of problems) {
    write(`${formatProblem(problem, style)}\n`);
    if (problem.severity === 'error') errors += 1;
  }
  return { errors, warnings: problems.length - errors };
}
