/**
 * Go text/template's predefined functions: `and or not len index slice print
 * printf println eq ne lt le gt ge html js urlquery call`, with Go's errors.
 * `and`/`or` are listed here for the function check; their short-circuit
 * evaluation lives in exec.ts, as in Go.
 */
import { sprint, sprintf, sprintln } from './format.js';
import { FuncError, type FuncMap, fn } from './func.js';
import {
  deepEqual,
  GoStruct,
  type GoValue,
  kindOf,
  mapEntries,
  mapGet,
  num,
  truth,
  typeName,
} from './values.js';

const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `len`: bytes of a string (UTF-8), elements of a slice or map. */
export function length(v: GoValue): number {
  switch (kindOf(v)) {
    case 'string':
      return utf8Length(v as string);
    case 'slice':
      return (v as GoValue[]).length;
    case 'map':
      return mapEntries(v).length;
    case 'invalid':
    case 'nil':
      throw new FuncError('len of nil pointer');
    default:
      throw new FuncError(`len of type ${typeName(v)}`);
  }
}

function indexArg(index: GoValue, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid' || k === 'nil') throw new FuncError('cannot index slice/array with nil');
  if (k !== 'int') throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  const x = index as number;
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

/** `index item i j...`: Go's indexing of slices, strings (a byte) and maps (zero value when absent). */
export function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new FuncError('index of untyped nil');
  let cur: GoValue = item;
  for (const ix of indexes) {
    switch (kindOf(cur)) {
      case 'slice': {
        const arr = cur as GoValue[];
        const x = indexArg(ix, arr.length);
        if (x === arr.length) throw new FuncError('reflect: slice index out of range');
        cur = arr[x];
        break;
      }
      case 'string': {
        const bytes = Buffer.from(cur as string, 'utf8');
        const x = indexArg(ix, bytes.length);
        if (x === bytes.length) throw new FuncError('reflect: string index out of range');
        cur = bytes[x] as number;
        break;
      }
      case 'map': {
        if (!(cur instanceof Map)) {
          if (ix === undefined || ix === null)
            throw new FuncError('value is nil; should be of type string');
          if (typeof ix !== 'string')
            throw new FuncError(`value has type ${typeName(ix)}; should be string`);
        }
        const got = mapGet(cur, ix);
        cur = got === undefined ? null : got;
        break;
      }
      case 'invalid':
      case 'nil':
        throw new FuncError('index of nil pointer');
      default:
        throw new FuncError(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

/** Go's builtin `slice item i j k` (sprig's `slice` shadows it under Flux). */
function sliceBuiltin(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (item === undefined || item === null) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  let len: number;
  if (k === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    len = utf8Length(item as string);
  } else if (k === 'slice') len = (item as GoValue[]).length;
  else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, len];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [a = 0, b = len, c = len] = idx;
  if (a > b) throw new FuncError(`invalid slice index: ${a} > ${b}`);
  if (indexes.length === 3 && b > c) throw new FuncError(`invalid slice index: ${b} > ${c}`);
  if (k === 'string')
    return Buffer.from(item as string, 'utf8')
      .subarray(a, b)
      .toString('utf8');
  return (item as GoValue[]).slice(a, b);
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';
function basicKind(v: GoValue): BasicKind {
  const k = kindOf(v);
  if (k === 'bool' || k === 'int' || k === 'float' || k === 'string') return k;
  if (k === 'invalid' || k === 'nil') return 'invalid';
  return 'other';
}
const isNilish = (v: GoValue): boolean => v === undefined || v === null;
const comparable = (v: GoValue): boolean => {
  const k = kindOf(v);
  if (k === 'slice' || k === 'map' || k === 'func') return false;
  if (v instanceof GoStruct) return Object.values(v.fields).every(comparable);
  return true;
};

/** `eq a b c...`: true when `a` equals any of the others. */
export function eq(a: GoValue, ...others: GoValue[]): boolean {
  if (others.length === 0) throw new FuncError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of others) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (!isNilish(a) && !isNilish(b))
        throw new FuncError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
    } else if (k1 === 'bool' || k1 === 'string') t = a === b;
    else if (k1 === 'int' || k1 === 'float') t = num(a) === num(b);
    else if (isNilish(a) || isNilish(b)) t = isNilish(a) === isNilish(b);
    else {
      if (kindOf(a) !== kindOf(b)) {
        throw new FuncError(
          `non-comparable types ${sprintf('%s', [a])}: ${typeName(a)}, ${typeName(b)}: ${sprint([b])}`,
        );
      }
      if (!comparable(b))
        throw new FuncError(`non-comparable type ${sprintf('%s', [b])}: ${typeName(b)}`);
      t = deepEqual(a, b);
    }
    if (t) return true;
  }
  return false;
}

/** `lt a b` over basic kinds of the same kind. */
export function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k1 === 'other' || k2 === 'invalid' || k2 === 'other')
    throw new FuncError('invalid type for comparison');
  if (k1 !== k2)
    throw new FuncError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool') throw new FuncError('invalid type for comparison');
  if (k1 === 'string')
    return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string)) < 0;
  return num(a) < num(b);
}

/** Go's `evalArgs` for html/js/urlquery: one string as is, else `fmt.Sprint`. */
function argsString(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

/** Go's `template.HTMLEscapeString`. */
export function htmlEscape(s: string): string {
  return s.replace(
    /[\0"'&<>]/g,
    (c) =>
      ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ??
      c,
  );
}

/** Go's `template.JSEscapeString`. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (cp < 0x20) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (cp < 0x80 || /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The builtins, by name. */
export const BUILTINS: FuncMap = {
  and: fn(['value'], (...a) => a[a.length - 1], 'value'),
  or: fn(['value'], (...a) => a[a.length - 1], 'value'),
  not: fn(['value'], (a) => !truth(a)),
  len: fn(['value'], (a) => length(a)),
  index: fn(['value'], index, 'value'),
  slice: fn(['value'], sliceBuiltin, 'value'),
  print: fn([], (...a) => sprint(a), 'any'),
  printf: fn(['string'], (f, ...a) => sprintf(f as string, a), 'any'),
  println: fn([], (...a) => sprintln(a), 'any'),
  eq: fn(['value'], eq, 'value'),
  ne: fn(['value', 'value'], (a, b) => !eq(a, b)),
  lt: fn(['value', 'value'], lt),
  le: fn(['value', 'value'], (a, b) => lt(a, b) || eq(a, b)),
  gt: fn(['value', 'value'], (a, b) => !(lt(a, b) || eq(a, b))),
  ge: fn(['value', 'value'], (a, b) => !lt(a, b)),
  html: fn([], (...a) => htmlEscape(argsString(a)), 'any'),
  js: fn([], (...a) => jsEscape(argsString(a)), 'any'),
  urlquery: fn([], (...a) => queryEscape(argsString(a)), 'any'),
  call: fn(
    ['value'],
    (f, ...a) => {
      if (f === undefined || f === null) throw new FuncError('call of nil');
      if (typeof f !== 'function')
        throw new FuncError(`non-function ${sprint([f])} of type ${typeName(f)}`);
      return f(...a);
    },
    'value',
  ),
};
