// One YAML file as the loader sees it: its documents, each with a way back from a
// JSON path (what a schema error names) to the line and column a user can open.
// yaml's LineCounter turns node offsets into 1-based positions.
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { ConfigProblem, SourceLocation } from '../config-types.js';

/** One document of a file, parsed, with positions. */
export interface YamlDocument {
  /** The document as plain data (JSON-like); `undefined` for an empty document. */
  readonly value: unknown;
  /** Where the document starts. */
  readonly location: SourceLocation;
  /**
   * Where the node at `path` (JSON path segments) was written; for a key that
   * does not exist, the deepest parent that does.
   */
  locate(path: readonly (string | number)[], at?: 'key' | 'value'): SourceLocation;
}

/** A file's documents, and the syntax errors that kept some of them out. */
export interface YamlFile {
  readonly documents: YamlDocument[];
  readonly problems: ConfigProblem[];
}

/** Parses every document of `text`; a document with a syntax error is a problem, the others load. */
export function parseYamlFile(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const documents: YamlDocument[] = [];
  const problems: ConfigProblem[] = [];
  // uniqueKeys: a key written twice is a YAML error, as the API server's decoder says.
  for (const doc of parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  })) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        problems.push({
          severity: 'error',
          kind: 'yaml-syntax',
          message: `YAML syntax error: ${firstLine(error.message)}; this document was not loaded`,
          location: at(error.pos[0]),
        });
      }
      continue;
    }
    const root = doc.contents;
    const start = root?.range?.[0] ?? doc.range[0];
    documents.push({
      value: doc.toJS({ maxAliasCount: 100 }),
      location: at(start),
      locate(path, want = 'value') {
        return at(offsetOf(root, path, want) ?? start);
      },
    });
  }
  return { documents, problems };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

/** The start offset of the node (or its key) at `path`, or its deepest existing parent. */
function offsetOf(
  root: Node | null,
  path: readonly (string | number)[],
  want: 'key' | 'value',
): number | undefined {
  let node: unknown = root;
  let offset = root?.range?.[0];
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return offset;
      const key = pair.key as Node;
      const value = pair.value as Node | null;
      if (last && want === 'key') return key.range?.[0] ?? offset;
      offset = value?.range?.[0] ?? key.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (item === undefined) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}
