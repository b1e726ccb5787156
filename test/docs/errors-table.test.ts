// docs/errors.md is the one place that says what every code a package throws,
// and every kind of problem setters returns, means. This test holds its tables to
// the unions in the source: a code added, renamed or removed in a union fails
// here until its row is, and a row for a code no union has fails too.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** A string-literal union in a package's source, and the docs table column that lists it. */
interface Union {
  readonly pkg: string;
  readonly name: string;
  readonly file: string;
  readonly column: 'code' | 'kind';
  readonly members: readonly string[];
}

/**
 * The members of `export type <name> = 'A' | 'B' ...;` in `source`. Comments
 * between members are skipped; anything other than a string literal (a type
 * reference, a template type) throws, so no member can go unseen.
 */
function unionMembers(source: string, name: string, file: string): string[] {
  const start = new RegExp(`^export type ${name} =`, 'm').exec(source);
  if (start === null) throw new Error(`${file}: no "export type ${name} ="`);
  const members: string[] = [];
  let i = start.index + start[0].length;
  for (;;) {
    const rest = source.slice(i);
    const token =
      /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|\|)/.exec(rest) ??
      /^'([^'\\\n]*)'|^"([^"\\\n]*)"/.exec(rest) ??
      /^;/.exec(rest);
    if (token === null) {
      throw new Error(
        `${file}: ${name} has a member that is not a string literal: ${rest.slice(0, 40)}`,
      );
    }
    if (token[0] === ';') break;
    const literal = token[1] ?? token[2];
    if (literal !== undefined) members.push(literal);
    i += token[0].length;
  }
  if (members.length === 0) throw new Error(`${file}: ${name} has no members`);
  return members;
}

function findUnions(): Union[] {
  const unions: Union[] = [];
  for (const pkg of readdirSync(new URL('packages/', root))) {
    const file = `packages/${pkg}/src/errors.ts`;
    let source: string;
    try {
      source = read(file);
    } catch {
      continue; // a package that throws nothing of its own
    }
    const names = [...source.matchAll(/^export type (\w+ErrorCode) =/gm)].map((m) => m[1]!);
    if (names.length === 0) throw new Error(`${file} exports no *ErrorCode union`);
    for (const name of names) {
      unions.push({ pkg, name, file, column: 'code', members: unionMembers(source, name, file) });
    }
  }
  const kinds = 'packages/setters/src/types.ts';
  unions.push({
    pkg: 'setters',
    name: 'ProblemKind',
    file: kinds,
    column: 'kind',
    members: unionMembers(read(kinds), 'ProblemKind', kinds),
  });
  const configKinds = 'packages/automation/src/config-types.ts';
  unions.push({
    pkg: 'automation',
    name: 'ConfigProblemKind',
    file: configKinds,
    column: 'kind',
    members: unionMembers(read(configKinds), 'ConfigProblemKind', configKinds),
  });
  return unions;
}

/**
 * For each `## @tagsmith/<pkg>` section of docs/errors.md, its tables keyed by
 * the header of their first column (`code` or `kind`, backticks dropped), each
 * with the names in that column (backticks required).
 */
function docsTables(markdown: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let tables: Map<string, string[]> | undefined;
  let rows: string[] | undefined;
  let line = 0;
  for (const text of markdown.split('\n')) {
    line++;
    const heading = /^## @tagsmith\/([\w-]+)/.exec(text);
    if (heading !== null) {
      tables = new Map();
      sections.set(heading[1]!, tables);
      rows = undefined;
      continue;
    }
    if (text.startsWith('## ')) tables = undefined;
    if (!text.startsWith('|')) {
      rows = undefined;
      continue;
    }
    if (tables === undefined) continue;
    const first = text.split('|')[1]!.trim();
    if (rows === undefined) {
      const column = first.replaceAll('`', '');
      if (tables.has(column)) throw new Error(`docs/errors.md:${line}: a second "${column}" table`);
      rows = [];
      tables.set(column, rows);
      continue;
    }
    if (/^-+$/.test(first)) continue;
    const name = /^`([^`]+)`$/.exec(first);
    if (name === null)
      throw new Error(`docs/errors.md:${line}: first cell is not \`name\`: ${first}`);
    rows.push(name[1]!);
  }
  return sections;
}

const unions = findUnions();
const sections = docsTables(read('docs/errors.md'));

describe('docs/errors.md lists exactly the members of every code and kind union', () => {
  it.each(unions)('$pkg: $name ($column table)', ({ pkg, column, members }) => {
    const table = sections.get(pkg)?.get(column);
    expect(
      table,
      `docs/errors.md has no "${column}" table under ## @tagsmith/${pkg}`,
    ).toBeDefined();
    // Sorted, not deduplicated: a missing, extra or repeated row shows in the diff.
    expect([...table!].sort()).toEqual([...members].sort());
  });

  // Discovery skips a package without src/errors.ts; these must never go unseen.
  it('checks the code union of every package that throws its own error', () => {
    expect(unions.map((u) => u.name)).toEqual(
      expect.arrayContaining([
        'PolicyErrorCode',
        'RegistryErrorCode',
        'SettersErrorCode',
        'TestkitErrorCode',
        'GitErrorCode',
        'AutomationErrorCode',
        'ConfigProblemKind',
      ]),
    );
  });

  it('has no section or table that no union backs', () => {
    const backed = new Set(unions.map((u) => `${u.pkg} ${u.column}`));
    const documented = [...sections].flatMap(([pkg, tables]) =>
      [...tables.keys()].map((column) => `${pkg} ${column}`),
    );
    expect(documented.filter((entry) => !backed.has(entry))).toEqual([]);
  });
});
