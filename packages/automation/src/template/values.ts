/**
 * The value model of the template engine: how JavaScript values stand for Go's.
 *
 * Go's text/template works on reflected Go values; this engine works on plain
 * JavaScript values read as follows, so JSON data behaves as Go's
 * `map[string]interface{}` does after `json.Unmarshal`:
 *
 * - `undefined` is Go's invalid `reflect.Value` ("no value": a missing map key);
 *   printed as `<no value>`.
 * - `null` is a nil `interface{}`; printed by `print`/`printf` as `<nil>`.
 * - `string` is `string`, `boolean` is `bool`.
 * - a `number` that is an integer is Go's `int`; any other `number` is `float64`.
 *   {@link GoFloat} makes an integral `float64` (JSON numbers are all `float64`
 *   in Go, so `1` decoded from JSON prints `1` but is not `eq` to the int `1`).
 * - an array is `[]interface{}`.
 * - a plain object or a `Map` is a map (`map[string]interface{}` for objects);
 *   maps print and range in sorted key order, as Go does.
 * - a {@link GoStruct} is a struct: its fields print in declaration order, and its
 *   methods (`String` makes it a `fmt.Stringer`) are reachable as `.Name`.
 * - a function is a Go `func` value (usable with `call`).
 */

/** A Go `float64` whose value happens to be integral (non-integral JS numbers are float64 already). */
export class GoFloat {
  /** @param value - The number. */
  constructor(readonly value: number) {}
}

/** A method of a {@link GoStruct}: called with the template arguments, returns a value or throws. */
export type GoMethod = (...args: GoValue[]) => GoValue;

/**
 * A Go struct value: fields in declaration order, optional methods.
 * A `String` method makes it print through that method, as a Go `fmt.Stringer` does.
 */
export class GoStruct {
  /**
   * @param typeName - The Go type name used in error messages and `%T`, e.g. `update.Change`.
   * @param fields - The exported fields, in declaration order.
   * @param methods - Methods reachable as `.Name` (a method wins over a field of the same name).
   * @param embedded - Names of fields that are embedded structs: their fields and methods are promoted, as in Go.
   */
  constructor(
    readonly typeName: string,
    readonly fields: Readonly<Record<string, GoValue>>,
    readonly methods: Readonly<Record<string, GoMethod>> = {},
    readonly embedded: readonly string[] = [],
  ) {}

  /** A method, own or promoted from an embedded struct. */
  method(name: string): GoMethod | undefined {
    if (Object.hasOwn(this.methods, name)) return this.methods[name];
    for (const e of this.embedded) {
      const inner = this.fields[e];
      const m = inner instanceof GoStruct ? inner.method(name) : undefined;
      if (m !== undefined) return m;
    }
    return undefined;
  }

  /** Whether the struct has a field `name`, own or promoted; see {@link GoStruct.field}. */
  hasField(name: string): boolean {
    if (Object.hasOwn(this.fields, name)) return true;
    return this.embedded.some((e) => {
      const inner = this.fields[e];
      return inner instanceof GoStruct && inner.hasField(name);
    });
  }

  /** A field's value, own or promoted. */
  field(name: string): GoValue {
    if (Object.hasOwn(this.fields, name)) return this.fields[name];
    for (const e of this.embedded) {
      const inner = this.fields[e];
      if (inner instanceof GoStruct && inner.hasField(name)) return inner.field(name);
    }
    return undefined;
  }
}

/** Any value the engine handles; see the module comment for how each maps to Go. */
export type GoValue =
  | undefined
  | null
  | string
  | number
  | boolean
  | GoFloat
  | GoStruct
  | readonly GoValue[]
  | ReadonlyMap<GoValue, GoValue>
  | { readonly [key: string]: GoValue }
  | ((...args: GoValue[]) => GoValue);

/** Make a {@link GoStruct}. */
export function goStruct(
  typeName: string,
  fields: Readonly<Record<string, GoValue>>,
  methods: Readonly<Record<string, GoMethod>> = {},
  embedded: readonly string[] = [],
): GoStruct {
  return new GoStruct(typeName, fields, methods, embedded);
}

/** The Go kinds the engine distinguishes. */
export type Kind =
  | 'invalid'
  | 'nil'
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'slice'
  | 'map'
  | 'struct'
  | 'func';

/** The Go kind of a value. */
export function kindOf(v: GoValue): Kind {
  if (v === undefined) return 'invalid';
  if (v === null) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'function':
      return 'func';
  }
  if (v instanceof GoFloat) return 'float';
  if (v instanceof GoStruct) return 'struct';
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

/** The numeric value of an int or float. */
export function num(v: GoValue): number {
  return v instanceof GoFloat ? v.value : (v as number);
}

/** Make a float64 value (a plain number when not integral). */
export function float(n: number): GoValue {
  return Number.isInteger(n) ? new GoFloat(n) : n;
}

/** Entries of a map value, in insertion order. */
export function mapEntries(v: GoValue): [GoValue, GoValue][] {
  if (v instanceof Map) return [...v.entries()];
  return Object.entries(v as Record<string, GoValue>);
}

/** Look a key up in a map value; `undefined` when absent. */
export function mapGet(m: GoValue, key: GoValue): GoValue {
  if (m instanceof Map) {
    if (m.has(key)) return m.get(key);
    for (const [k, v] of m) if (deepEqual(k, key)) return v;
    return undefined;
  }
  if (typeof key !== 'string') return undefined;
  const rec = m as Record<string, GoValue>;
  return Object.hasOwn(rec, key) ? rec[key] : undefined;
}

/** Go's `==` on comparable values (structs compare field by field). */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  if (ka === 'float' || ka === 'int') return num(a) === num(b);
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.typeName !== b.typeName) return false;
    const keys = Object.keys(a.fields);
    return keys.every((k) => deepEqual(a.fields[k], b.fields[k]));
  }
  return false;
}

/** The Go type name of a value, as `%T` and error messages write it. */
export function typeName(v: GoValue): string {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'slice':
      return '[]interface {}';
    case 'func':
      return 'func(...interface {}) interface {}';
    case 'struct':
      return (v as GoStruct).typeName;
    case 'map':
      return v instanceof Map ? 'map[interface {}]interface {}' : 'map[string]interface {}';
  }
}

/** Go's `fmt.Stringer` check: a struct with a `String` method. */
export function stringer(v: GoValue): (() => GoValue) | undefined {
  return v instanceof GoStruct ? v.method('String') : undefined;
}

/** Go's truth (`if`, `and`, `or`, `not`): the zero value of its type is false. */
export function truth(v: GoValue): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'string':
      return (v as string).length > 0;
    case 'bool':
      return v as boolean;
    case 'int':
    case 'float':
      return num(v) !== 0;
    case 'slice':
      return (v as GoValue[]).length > 0;
    case 'map':
      return mapEntries(v).length > 0;
    default:
      return true;
  }
}

/** Compare two map keys the way Go's `fmtsort` does (numbers, strings, bools, structs field by field). */
export function compareKeys(a: GoValue, b: GoValue): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (ka) {
    case 'int':
    case 'float':
      return num(a) - num(b);
    case 'string':
      return compareBytes(a as string, b as string);
    case 'bool':
      return Number(a) - Number(b);
    case 'struct': {
      const fa = (a as GoStruct).fields;
      const fb = (b as GoStruct).fields;
      for (const k of Object.keys(fa)) {
        const c = compareKeys(fa[k], fb[k]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      return 0;
  }
}

/** Byte-wise (UTF-8) string order, as Go compares strings. */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Map entries sorted by key, as Go ranges and prints maps. */
export function sortedEntries(v: GoValue): [GoValue, GoValue][] {
  return mapEntries(v).sort((x, y) => compareKeys(x[0], y[0]));
}
