/**
 * Go's `fmt` as templates use it: `Sprint`, `Sprintln` and `Sprintf` with the
 * verbs `%v %+v %s %q %d %x %X %o %b %c %U %e %f %g %t %T %%`, widths,
 * precisions and flags, over the value model of `values.ts`: `%v` of a struct is
 * `{a b}`, of a map `map[k:v]` with sorted keys, of a slice `[a b]`, of nil
 * `<nil>`; a float64 prints in Go's shortest `%g` form (`1e+06`, `1.5`).
 */
import {
  GoFloat,
  type GoStruct,
  type GoValue,
  kindOf,
  num,
  sortedEntries,
  stringer,
  typeName,
} from './values.js';

/** Go's `strconv.Quote`, or `strconv.QuoteToASCII` when `asciiOnly` (`%+q`). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp === 0xfffd) out += '\\ufffd';
    else if ((!asciiOnly || cp < 0x80) && /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** Go's `strconv.QuoteRune`. */
function quoteRune(cp: number): string {
  if (cp === 0x27) return "'\\''";
  if (cp === 0x22) return `'"'`;
  // An invalid rune becomes U+FFFD, which Go prints as itself (it is a valid, printable rune).
  if (!isValidRune(cp) || cp === 0xfffd) return "'\ufffd'";
  return `'${goQuote(String.fromCodePoint(cp)).slice(1, -1)}'`;
}

/** Whether `cp` is a Unicode scalar value; Go prints U+FFFD for any other rune. */
const isValidRune = (cp: number): boolean =>
  cp >= 0 && cp <= 0x10ffff && (cp < 0xd800 || cp >= 0xe000);

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)`: shortest digits, an exponent below 1e-4 and from 1e6 (`1e+06`). */
export function formatFloatShortest(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant = '', expStr = '0'] = f.toExponential().split('e');
  const exp = Number(expStr);
  // Go switches to %e when exp < -4 or exp >= the precision, which is 6 for the shortest form.
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp >= 0) {
    s =
      digits.length > exp + 1
        ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
        : digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${s}` : s;
}

/** `%e` with a precision, Go-style exponent (at least two digits). */
function formatExp(f: number, prec: number, upper: boolean): string {
  const [m = '', e = '0'] = f.toExponential(prec).split('e');
  const n = Number(e);
  const a = Math.abs(n);
  const s = `${m}e${n < 0 ? '-' : '+'}${a < 10 ? `0${a}` : a}`;
  return upper ? s.toUpperCase() : s;
}

/** `%g` with a precision (or shortest when `prec` is -1). */
function formatG(f: number, prec: number, upper: boolean): string {
  if (prec < 0) {
    const s = formatFloatShortest(f);
    return upper ? s.toUpperCase() : s;
  }
  if (!Number.isFinite(f)) return formatFloatShortest(f);
  const p = prec === 0 ? 1 : prec;
  const [, e = '0'] = f.toExponential(p - 1).split('e');
  const exp = Number(e);
  let s: string;
  if (exp < -4 || exp >= p) {
    s = formatExp(f, p - 1, upper).replace(/\.?0+e/, 'e');
    if (upper) s = s.replace('e', 'E');
  } else {
    s = f.toFixed(Math.max(0, p - 1 - exp));
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** `%+v`: struct field names (Go moves the plus flag here for the v verb). */
  plusV?: boolean;
  width: number | undefined;
  prec: number | undefined;
}

const plainSpec = (): Spec => ({
  minus: false,
  plus: false,
  sharp: false,
  space: false,
  zero: false,
  width: undefined,
  prec: undefined,
});

function pad(s: string, spec: Spec, numeric = false): string {
  const w = spec.width;
  const len = [...s].length;
  if (w === undefined || len >= w) return s;
  if (spec.minus) return s + ' '.repeat(w - len);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(w - len) + s.slice(sign.length);
  }
  // Go pads any other operand (a string, a bool) with zeros too when the 0 flag is set.
  if (spec.zero) return '0'.repeat(w - len) + s;
  return ' '.repeat(w - len) + s;
}

function badVerb(verb: string, v: GoValue, spec: Spec = plainSpec()): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  // Go prints the operand with the directive's flags, width and precision still set.
  return `%!${verb}(${typeName(v)}=${formatValue(v, 'v', spec, 0)})`;
}

/** Go's `%x` of a float: shortest hexadecimal mantissa and a binary exponent (`0x1.4p+01`). */
function hexFloat(f: number, upper: boolean): string {
  if (!Number.isFinite(f)) return formatFloatShortest(f);
  const sign = f < 0 || Object.is(f, -0) ? '-' : '';
  const a = Math.abs(f);
  let exp = 0;
  let frac = '';
  if (a !== 0) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, a);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const biased = hi >>> 20;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    exp = biased - 1023;
    if (biased === 0) {
      // Subnormal: normalise so the leading digit is 1, as Go does.
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    }
    frac = mant.toString(16).padStart(13, '0').replace(/0+$/, '');
  }
  const e = Math.abs(exp);
  const s = `${sign}0x${a === 0 ? '0' : '1'}${frac === '' ? '' : `.${frac}`}p${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  return upper ? s.toUpperCase().replace('0X', '0X') : s;
}

function formatInt(n: number, verb: string, spec: Spec): string {
  const self: GoValue = n;
  let body: string;
  const neg = n < 0;
  const a = Math.abs(n);
  switch (verb) {
    case 'v':
    case 'd':
      body = a.toString(10);
      break;
    case 'x':
      body = (spec.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      body = (spec.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'o':
      body = (spec.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      body = `0o${a.toString(8)}`;
      break;
    case 'b':
      body = a.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(isValidRune(n) ? n : 0xfffd), spec);
    case 'q':
      return pad(quoteRune(n), spec);
    case 'U':
      return pad(`U+${n.toString(16).toUpperCase().padStart(4, '0')}`, spec);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return badVerb(verb, self, spec);
    default:
      return badVerb(verb, self, spec);
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + body, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function formatFloat(f: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
    case 'G':
      s = formatG(f, spec.prec ?? -1, verb === 'G');
      break;
    case 'e':
    case 'E':
      s = Number.isFinite(f) ? formatExp(f, spec.prec ?? 6, verb === 'E') : formatFloatShortest(f);
      break;
    case 'f':
    case 'F':
      s = Number.isFinite(f) ? f.toFixed(spec.prec ?? 6) : formatFloatShortest(f);
      break;
    case 'x':
    case 'X':
      s = hexFloat(f, verb === 'X');
      break;
    default:
      return badVerb(verb, new GoFloat(f), spec);
  }
  if (!Number.isFinite(f)) return pad(signedNonFinite(f, spec), { ...spec, zero: false });
  if (spec.plus && !s.startsWith('-')) s = `+${s}`;
  else if (spec.space && !s.startsWith('-')) s = ` ${s}`;
  return pad(s, spec, true);
}

/** Go's fmtFloat on an infinity or NaN: `+Inf` keeps its sign (a space flag alone turns it
 * into ` Inf`), NaN takes a sign only when a flag asks, and neither is zero-padded. */
function signedNonFinite(f: number, spec: Spec): string {
  if (Number.isNaN(f)) return spec.plus ? '+NaN' : spec.space ? ' NaN' : 'NaN';
  if (f < 0) return '-Inf';
  return spec.space && !spec.plus ? ' Inf' : '+Inf';
}

function formatString(s: string, verb: string, spec: Spec, v: GoValue): string {
  switch (verb) {
    case 'v':
    case 's':
      return pad(spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s, spec);
    case 'q': {
      const t = spec.prec !== undefined ? [...s].slice(0, spec.prec).join('') : s;
      return pad(spec.sharp && !t.includes('`') ? `\`${t}\`` : goQuote(t, spec.plus), spec);
    }
    case 'x':
    case 'X': {
      // The precision counts bytes here; `#` puts 0x before the whole (or, with a space, each byte).
      const all = Buffer.from(s, 'utf8');
      const bytes = spec.prec !== undefined ? all.subarray(0, spec.prec) : all;
      const prefix = spec.sharp ? '0x' : '';
      const each = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
      let hex = spec.space ? each.map((b) => prefix + b).join(' ') : prefix + each.join('');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec);
    }
    default:
      return badVerb(verb, v, spec);
  }
}

/** Format one value with a verb, as Go's `printValue` does (depth > 0 inside containers). */
export function formatValue(v: GoValue, verb: string, spec: Spec, depth: number): string {
  if (verb === 'T') return pad(typeName(v), spec);
  if (v === null || v === undefined) {
    if (depth > 0 || verb === 'v') return pad('<nil>', spec);
    return badVerb(verb, v);
  }
  const str = stringer(v);
  if (str !== undefined && 'vsxXq'.includes(verb))
    return formatString(String(str()), verb, spec, v);
  switch (kindOf(v)) {
    case 'string':
      return formatString(v as string, verb, spec, v);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), spec) : badVerb(verb, v, spec);
    case 'int':
      return formatInt(v as number, verb, spec);
    case 'float':
      return formatFloat(num(v), verb, spec);
    case 'slice':
      return `[${(v as GoValue[]).map((e) => formatValue(e, verb, spec, depth + 1)).join(' ')}]`;
    case 'map':
      return `map[${sortedEntries(v)
        .map(
          ([k, e]) =>
            `${formatValue(k, verb, spec, depth + 1)}:${formatValue(e, verb, spec, depth + 1)}`,
        )
        .join(' ')}]`;
    case 'struct': {
      const fields = Object.entries((v as GoStruct).fields);
      return `{${fields.map(([k, e]) => (spec.plusV === true ? `${k}:` : '') + formatValue(e, verb, spec, depth + 1)).join(' ')}}`;
    }
    case 'func':
      return verb === 'v' || verb === 'p' ? '0x1' : badVerb(verb, v);
    default:
      return '<nil>';
  }
}

const isGoString = (v: GoValue): boolean => typeof v === 'string';

/** Go's `fmt.Sprint`: a space between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  let out = '';
  args.forEach((a, k) => {
    if (k > 0 && !isGoString(a) && !isGoString(args[k - 1])) out += ' ';
    out += formatValue(a, 'v', plainSpec(), 0);
  });
  return out;
}

/** Go's `fmt.Sprintln`: spaces between all operands, a newline at the end. */
export function sprintln(args: readonly GoValue[]): string {
  return `${args.map((a) => formatValue(a, 'v', plainSpec(), 0)).join(' ')}\n`;
}

/** Go's `fmt.Sprintf`, with its `%!verb(type=value)`, `%!d(MISSING)` and `%!(EXTRA ...)` notes. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argNum = 0;
  let i = 0;
  const readNum = (): number | undefined => {
    const m = /^[0-9]+/.exec(format.slice(i));
    if (m === null) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec = plainSpec();
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    if (format[i] === '*') {
      i++;
      const a = args[argNum++];
      if (kindOf(a) === 'int') {
        spec.width = Math.abs(a as number);
        if ((a as number) < 0) spec.minus = true;
      } else out += '%!(BADWIDTH)';
    } else spec.width = readNum();
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        i++;
        const a = args[argNum++];
        if (kindOf(a) === 'int' && (a as number) >= 0) spec.prec = a as number;
        else out += '%!(BADPREC)';
      } else spec.prec = readNum() ?? 0;
    }
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argNum++];
    if (verb === 'v' && spec.plus)
      out += formatValue(a, 'v', { ...spec, plus: false, plusV: true }, 0);
    else out += formatValue(a, verb, spec, 0);
  }
  if (argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) =>
        a === null || a === undefined
          ? '<nil>'
          : `${typeName(a)}=${formatValue(a, 'v', plainSpec(), 0)}`,
      )
      .join(', ')})`;
  }
  return out;
}
