/**
 * The sprig functions Flux gives commit templates (`sprig.HermeticTxtFuncMap()`
 * of Masterminds/sprig v3), in Go's signatures so that argument errors match,
 * with sprig's conversions (`cast.ToInt64` for math, `strval` for strings).
 * Not included: the non-deterministic ones sprig's hermetic map drops (`now`,
 * `date`, `randAlpha`, `uuidv4`, `env`, `expandenv`, ...), which therefore fail
 * to parse as unknown functions, and the semver, crypto-key, network, path and
 * reflection helpers (not listed in docs/templates.md; unknown here too).
 * Regular expressions are RE2 (re2js), as Go's `regexp`.
 */
import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { formatFloatShortest, sprintf } from './format.js';
import { FuncError, type FuncMap, fn } from './func.js';
import {
  deepEqual,
  float,
  GoStruct,
  type GoValue,
  kindOf,
  mapEntries,
  mapGet,
  num,
  sortedEntries,
  stringer,
  truth,
} from './values.js';

/** Sprig's `strval`: strings as is, Stringers through `String`, else `%v`. */
function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  const s = stringer(v);
  if (s !== undefined) return String(s());
  return sprintf('%v', [v]);
}

/** Sprig's `strslice`: a list's elements as strings (nil elements dropped), or the one value. */
function strslice(v: GoValue): string[] {
  if (Array.isArray(v))
    return (v as GoValue[]).filter((e) => e !== null && e !== undefined).map(strval);
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

/** `cast.ToInt64`: numbers truncated, numeric strings parsed, bools 1/0, anything else 0. */
function toInt64(v: GoValue): number {
  switch (kindOf(v)) {
    case 'int':
      return v as number;
    case 'float':
      return Math.trunc(num(v));
    case 'bool':
      return v ? 1 : 0;
    case 'string': {
      const s = (v as string).trim();
      if (/^[+-]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/.test(s))
        return Number(s.replace(/^([+-]?)0([0-7])/, '$10o$2'));
      return 0;
    }
    default:
      return 0;
  }
}

function toFloat64(v: GoValue): number {
  switch (kindOf(v)) {
    case 'int':
    case 'float':
      return num(v);
    case 'bool':
      return v ? 1 : 0;
    case 'string': {
      const n = Number((v as string).trim());
      return (v as string).trim() === '' || Number.isNaN(n) ? 0 : n;
    }
    default:
      return 0;
  }
}

const bytesOf = (s: string): Buffer => Buffer.from(s, 'utf8');
const byteSlice = (s: string, a: number, b?: number): string => {
  const buf = bytesOf(s);
  if (a < 0 || (b !== undefined && (b > buf.length || a > b)) || a > buf.length) {
    throw new FuncError(`runtime error: slice bounds out of range [${a}:${b ?? buf.length}]`);
  }
  return buf.subarray(a, b).toString('utf8');
};

function list(v: GoValue, fname: string): GoValue[] {
  if (Array.isArray(v)) return v as GoValue[];
  throw new FuncError(`Cannot find ${fname} on type ${kindName(v)}`);
}
function kindName(v: GoValue): string {
  const k = kindOf(v);
  return k === 'float' ? 'float64' : k === 'invalid' || k === 'nil' ? 'invalid' : k;
}

/** Sprig's `empty`: the zero value of its type. */
function empty(v: GoValue): boolean {
  if (v instanceof GoStruct) return false;
  return !truth(v);
}

/** Go's `encoding/json` Marshal: sorted map keys, `<>&` escaped, floats in Go's form. */
function toJson(v: GoValue, indent: string, level = 0): string {
  const nl = indent === '' ? '' : `\n${indent.repeat(level + 1)}`;
  const end = indent === '' ? '' : `\n${indent.repeat(level)}`;
  const sep = indent === '' ? ':' : ': ';
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return 'null';
    case 'string':
      return JSON.stringify(v)
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/&/g, '\\u0026')
        .replace(/\u2028/g, '\\u2028')
        .replace(/\u2029/g, '\\u2029');
    case 'bool':
    case 'int':
      return String(v);
    case 'float': {
      const f = num(v);
      const a = Math.abs(f);
      if (a !== 0 && (a < 1e-6 || a >= 1e21))
        return formatFloatShortest(f).replace(/e([+-])0(\d)$/, 'e$1$2');
      return String(f);
    }
    case 'slice': {
      const items = (v as GoValue[]).map((e) => toJson(e, indent, level + 1));
      return items.length === 0 ? '[]' : `[${nl}${items.join(`,${nl}`)}${end}]`;
    }
    case 'map': {
      const items = sortedEntries(v).map(
        ([k, e]) => `${toJson(strval(k), '')}${sep}${toJson(e, indent, level + 1)}`,
      );
      return items.length === 0 ? '{}' : `{${nl}${items.join(`,${nl}`)}${end}}`;
    }
    case 'struct': {
      const items = Object.entries((v as GoStruct).fields).map(
        ([k, e]) => `${toJson(k, '')}${sep}${toJson(e, indent, level + 1)}`,
      );
      return items.length === 0 ? '{}' : `{${nl}${items.join(`,${nl}`)}${end}}`;
    }
    default:
      return '';
  }
}

function compile(re: string): RE2JS {
  try {
    return RE2JS.compile(re);
  } catch (e) {
    throw new FuncError(`regexp: Compile(${JSON.stringify(re)}): ${(e as Error).message}`);
  }
}

/** Go's `Regexp.Expand` template syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(repl: string, group: (name: string) => string): string {
  return repl.replace(
    /\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_m, whole: string, braced?: string, bare?: string) =>
      whole === '$' ? '$' : group((braced ?? bare) as string),
  );
}

function replaceAll(re: string, s: string, repl: string): string {
  const r = compile(re);
  const m = r.matcher(s);
  let out = '';
  let last = 0;
  while (m.find()) {
    out += s.slice(last, m.start());
    out += expand(repl, (name) => {
      const idx = /^[0-9]+$/.test(name) ? Number(name) : r.namedGroups()[name];
      if (idx === undefined || idx > m.groupCount()) return '';
      return m.group(idx) ?? '';
    });
    last = m.end();
    if (m.end() === m.start()) {
      if (last >= s.length) break;
    }
  }
  return out + s.slice(last);
}

const mapOf = (v: GoValue): Record<string, GoValue> => v as Record<string, GoValue>;

/** Sprig's hermetic functions, by name. */
export const SPRIG: FuncMap = {
  lower: fn(['string'], (s) => (s as string).toLowerCase()),
  upper: fn(['string'], (s) => (s as string).toUpperCase()),
  title: fn(['string'], (s) =>
    (s as string).replace(
      /(^|[^\p{L}\p{N}_'])(\p{L})/gu,
      (_m, p: string, c: string) => p + c.toUpperCase(),
    ),
  ),
  untitle: fn(['string'], (s) =>
    (s as string).replace(/(^|\s)(\S)/g, (_m, p: string, c: string) => p + c.toLowerCase()),
  ),
  trim: fn(['string'], (s) => (s as string).trim()),
  trimAll: fn(['string', 'string'], (cut, s) => trimSet(s as string, cut as string)),
  trimall: fn(['string', 'string'], (cut, s) => trimSet(s as string, cut as string)),
  trimPrefix: fn(['string', 'string'], (p, s) =>
    (s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s,
  ),
  trimSuffix: fn(['string', 'string'], (p, s) =>
    (p as string) !== '' && (s as string).endsWith(p as string)
      ? (s as string).slice(0, -(p as string).length)
      : s,
  ),
  contains: fn(['string', 'string'], (sub, s) => (s as string).includes(sub as string)),
  hasPrefix: fn(['string', 'string'], (p, s) => (s as string).startsWith(p as string)),
  hasSuffix: fn(['string', 'string'], (p, s) => (s as string).endsWith(p as string)),
  replace: fn(['string', 'string', 'string'], (o, n, s) =>
    (s as string).split(o as string).join(n as string),
  ),
  repeat: fn(['int', 'string'], (n, s) => {
    if ((n as number) < 0) throw new FuncError('strings: negative Repeat count');
    return (s as string).repeat(n as number);
  }),
  substr: fn(['int', 'int', 'string'], (a, b, s) => {
    const len = bytesOf(s as string).length;
    if ((a as number) < 0) return byteSlice(s as string, 0, b as number);
    if ((b as number) < 0 || (b as number) > len) return byteSlice(s as string, a as number);
    return byteSlice(s as string, a as number, b as number);
  }),
  trunc: fn(['int', 'string'], (c, s) => {
    const len = bytesOf(s as string).length;
    const n = c as number;
    if (n < 0 && len + n > 0) return byteSlice(s as string, len + n);
    if (n >= 0 && len > n) return byteSlice(s as string, 0, n);
    return s;
  }),
  nospace: fn(['string'], (s) => (s as string).replace(/\s/gu, '')),
  abbrev: fn(['int', 'string'], (w, s) => {
    const n = w as number;
    if (n < 4 || (s as string).length <= n) return s;
    return `${(s as string).slice(0, n - 3)}...`;
  }),
  quote: fn(
    [],
    (...a) =>
      a
        .filter((v) => v !== null && v !== undefined)
        .map((v) => sprintf('%q', [strval(v)]))
        .join(' '),
    'any',
  ),
  squote: fn(
    [],
    (...a) =>
      a
        .filter((v) => v !== null && v !== undefined)
        .map((v) => `'${strval(v)}'`)
        .join(' '),
    'any',
  ),
  cat: fn(
    [],
    (...a) =>
      a
        .filter((v) => v !== null && v !== undefined)
        .map((v) => sprintf('%v', [v]))
        .join(' '),
    'any',
  ),
  indent: fn(['int', 'string'], (n, s) => indent(n as number, s as string)),
  nindent: fn(['int', 'string'], (n, s) => `\n${indent(n as number, s as string)}`),
  splitList: fn(['string', 'string'], (sep, s) => splitGo(s as string, sep as string)),
  join: fn(['string', 'any'], (sep, v) => strslice(v).join(sep as string)),
  sortAlpha: fn(['any'], (v) =>
    (Array.isArray(v) ? strslice(v) : [strval(v)]).sort((x, y) =>
      Buffer.compare(bytesOf(x), bytesOf(y)),
    ),
  ),
  list: fn([], (...a) => a, 'any'),
  first: fn(['any'], (v) => list(v, 'first')[0] ?? null),
  last: fn(['any'], (v) => {
    const l = list(v, 'last');
    return l.length === 0 ? null : l[l.length - 1];
  }),
  rest: fn(['any'], (v) => {
    const l = list(v, 'rest');
    return l.length === 0 ? null : l.slice(1);
  }),
  initial: fn(['any'], (v) => {
    const l = list(v, 'initial');
    return l.length === 0 ? null : l.slice(0, -1);
  }),
  uniq: fn(['any'], (v) => {
    const out: GoValue[] = [];
    for (const e of list(v, 'uniq')) if (!out.some((o) => deepEqual(o, e))) out.push(e);
    return out;
  }),
  has: fn(['any', 'any'], (needle, hay) => {
    if (hay === null || hay === undefined) return false;
    return list(hay, 'has').some((e) => deepEqual(e, needle));
  }),
  slice: fn(
    ['any'],
    (l, ...ix) => {
      if (!Array.isArray(l))
        throw new FuncError(`list should be type of slice or array but ${kindName(l)}`);
      const arr = l as GoValue[];
      if (arr.length === 0) return null;
      const start = ix.length > 0 ? toInt64(ix[0]) : 0;
      const end = ix.length > 1 ? toInt64(ix[1]) : arr.length;
      if (start < 0 || end > arr.length || start > end)
        throw new FuncError(`runtime error: slice bounds out of range [${start}:${end}]`);
      return arr.slice(start, end);
    },
    'any',
  ),
  default: fn(
    ['any'],
    (d, ...given) => (given.length === 0 || empty(given[0]) ? d : given[0]),
    'any',
  ),
  empty: fn(['any'], (v) => empty(v)),
  coalesce: fn([], (...a) => a.find((v) => !empty(v)) ?? null, 'any'),
  ternary: fn(['any', 'any', 'bool'], (t, f, c) => (c ? t : f)),
  toString: fn(['any'], (v) => strval(v)),
  toJson: fn(['any'], (v) => toJson(v, '')),
  toPrettyJson: fn(['any'], (v) => toJson(v, '  ')),
  dict: fn(
    [],
    (...a) => {
      const d: Record<string, GoValue> = {};
      for (let i = 0; i < a.length; i += 2) d[strval(a[i])] = i + 1 < a.length ? a[i + 1] : '';
      return d;
    },
    'any',
  ),
  get: fn(['map', 'string'], (d, k) => {
    const v = d === null ? undefined : mapGet(d, k);
    return v === undefined ? '' : v;
  }),
  set: fn(['map', 'string', 'any'], (d, k, v) => {
    mapOf(d)[k as string] = v;
    return d;
  }),
  // Go's map order is random; sorted here so the output is deterministic.
  keys: fn(
    [],
    (...ds) => ds.flatMap((d) => (d === null ? [] : sortedEntries(d).map(([k]) => k))),
    'map',
  ),
  values: fn(['map'], (d) => (d === null ? [] : sortedEntries(d).map(([, v]) => v))),
  pick: fn(
    ['map'],
    (d, ...ks) =>
      Object.fromEntries(mapEntries(d ?? {}).filter(([k]) => ks.includes(k))) as GoValue,
    'string',
  ),
  omit: fn(
    ['map'],
    (d, ...ks) =>
      Object.fromEntries(mapEntries(d ?? {}).filter(([k]) => !ks.includes(k))) as GoValue,
    'string',
  ),
  add: fn([], (...a) => a.reduce<number>((s, v) => s + toInt64(v), 0), 'any'),
  add1: fn(['any'], (a) => toInt64(a) + 1),
  sub: fn(['any', 'any'], (a, b) => toInt64(a) - toInt64(b)),
  mul: fn(['any'], (a, ...r) => r.reduce<number>((p, v) => p * toInt64(v), toInt64(a)), 'any'),
  div: fn(['any', 'any'], (a, b) => {
    if (toInt64(b) === 0) throw new FuncError('runtime error: integer divide by zero');
    return Math.trunc(toInt64(a) / toInt64(b));
  }),
  mod: fn(['any', 'any'], (a, b) => {
    if (toInt64(b) === 0) throw new FuncError('runtime error: integer divide by zero');
    return toInt64(a) % toInt64(b);
  }),
  max: fn(['any'], (a, ...r) => Math.max(toInt64(a), ...r.map(toInt64)), 'any'),
  min: fn(['any'], (a, ...r) => Math.min(toInt64(a), ...r.map(toInt64)), 'any'),
  int: fn(['any'], (v) => toInt64(v)),
  int64: fn(['any'], (v) => toInt64(v)),
  float64: fn(['any'], (v) => float(toFloat64(v))),
  atoi: fn(['string'], (s) => (/^[+-]?[0-9]+$/.test(s as string) ? Number(s) : 0)),
  b64enc: fn(['string'], (s) => bytesOf(s as string).toString('base64')),
  b64dec: fn(['string'], (s) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s as string) || (s as string).length % 4 !== 0)
      return 'illegal base64 data at input byte 0';
    return Buffer.from(s as string, 'base64').toString('utf8');
  }),
  sha256sum: fn(['string'], (s) =>
    createHash('sha256')
      .update(s as string)
      .digest('hex'),
  ),
  regexMatch: fn(['string', 'string'], (re, s) => {
    try {
      return RE2JS.compile(re as string)
        .matcher(s as string)
        .find();
    } catch {
      return false;
    }
  }),
  regexFind: fn(['string', 'string'], (re, s) => {
    const m = compile(re as string).matcher(s as string);
    return m.find() ? (m.group() ?? '') : '';
  }),
  regexReplaceAll: fn(['string', 'string', 'string'], (re, s, r) =>
    replaceAll(re as string, s as string, r as string),
  ),
  regexReplaceAllLiteral: fn(['string', 'string', 'string'], (re, s, r) =>
    replaceAll(re as string, s as string, (r as string).replace(/\$/g, '$$$$')),
  ),
};

function trimSet(s: string, cut: string): string {
  const chars = new Set(cut);
  const a = [...s];
  let i = 0;
  let j = a.length;
  while (i < j && chars.has(a[i] as string)) i++;
  while (j > i && chars.has(a[j - 1] as string)) j--;
  return a.slice(i, j).join('');
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(0, n));
  return pad + s.split('\n').join(`\n${pad}`);
}

/** Go's `strings.Split` (an empty separator splits into UTF-8 characters). */
function splitGo(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}
