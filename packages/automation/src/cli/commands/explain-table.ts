// The table `select --explain` prints: every tag with its outcome and the reason, the
// winner first, the rest in input order, columns aligned before colors are added (escape
// codes have no width), one color per outcome on a terminal.

import type { Explanation, TagExplanation } from '@tagsmith/policy';
import type { Style } from '../style.js';

function paintFor(entry: TagExplanation, style: Style): (text: string) => string {
  switch (entry.kind) {
    case 'selected':
      return (text) => style.bold(style.green(text));
    case 'beaten':
      return style.yellow;
    case 'blocked':
    case 'unparseable':
      return style.red;
    default:
      return style.dim;
  }
}

/** The table's lines (header first), each ending in a newline. */
export function renderExplainTable(explanation: Explanation, style: Style): string {
  const rows = [
    ...explanation.tags.filter((entry) => entry.kind === 'selected'),
    ...explanation.tags.filter((entry) => entry.kind !== 'selected'),
  ];
  const tagWidth = Math.max(3, ...rows.map((entry) => entry.tag.length));
  const kindWidth = Math.max(7, ...rows.map((entry) => entry.kind.length));
  const line = (tag: string, kind: string, reason: string) =>
    `${tag.padEnd(tagWidth)}  ${kind.padEnd(kindWidth)}  ${reason}`.trimEnd();
  let text = `${style.bold(line('TAG', 'OUTCOME', 'REASON'))}\n`;
  for (const entry of rows) {
    text += `${paintFor(entry, style)(line(entry.tag, entry.kind, entry.reason))}\n`;
  }
  return text;
}
