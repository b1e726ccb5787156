// The unified diff `run --dry-run`, `run` and `update --dry-run` print: git's
// layout (`--- a/path`, `+++ b/path`, 3 lines of context), colored on a terminal.

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Style } from './style.js';

/** A unified diff of one file's text before and after, `path` relative and `/`-separated. */
export function renderDiff(path: string, oldText: string, newText: string, style: Style): string {
  const patch = createTwoFilesPatch(
    `a/${path}`,
    `b/${path}`,
    oldText,
    newText,
    undefined,
    undefined,
    // FILE_HEADERS_ONLY: no `Index:` and `====` lines above `---`, as git prints it.
    { context: 3, headerOptions: FILE_HEADERS_ONLY },
  );
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return style.bold(line);
      if (line.startsWith('@@')) return style.cyan(line);
      if (line.startsWith('+')) return style.green(line);
      if (line.startsWith('-')) return style.red(line);
      return line;
    })
    .join('\n');
}
