// Go's strconv.ParseFloat(s, 64), which Flux's numerical policy uses. JavaScript's
// Number() accepts things Go rejects ("", " 1 ", "0x10", "0b1", "1n"-free
// integers in other bases) and rejects things Go accepts ("1_000", "0x1p-2",
// "inf", "+Infinity" in any case), so the syntax is checked here by hand and
// only well-formed decimal text is handed to Number(), whose correctly rounded
// result equals Go's. Hexadecimal mantissas are rounded here, exactly.

/** Outcome of {@link parseGoFloat}; reused to keep parsing allocation-free. */
export class GoFloat {
  value = 0;
  /** 'ok', 'syntax' (not a Go float) or 'range' (overflows float64, like Go's ErrRange). */
  status: 'ok' | 'syntax' | 'range' = 'ok';
}

function lower(c: number): number {
  return c | 0x20;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  const l = lower(c);
  return isDigit(c) || (l >= 97 && l <= 102);
}

// "inf", "infinity" and "nan", any case; only the infinities take a sign.
function special(s: string): number | undefined {
  let i = 0;
  let sign = 1;
  const first = s.charCodeAt(0);
  if (first === 43 || first === 45) {
    sign = first === 45 ? -1 : 1;
    i = 1;
  }
  const word = s.slice(i).toLowerCase();
  if (word === 'inf' || word === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (i === 0 && word === 'nan') return Number.NaN;
  return undefined;
}

// Go's underscoreOK: an underscore must sit between digits, or between a base
// prefix and a digit.
function underscoresOk(s: string, hex: boolean): boolean {
  let i = 0;
  if (s.charCodeAt(0) === 43 || s.charCodeAt(0) === 45) i = 1;
  let saw = '^';
  if (hex) {
    i += 2;
    saw = '0';
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c) || (hex && isHexDigit(c))) {
      saw = '0';
    } else if (c === 95) {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

// Rounds mantissa * 2^exponent to the nearest float64, ties to even.
function hexValue(mantissa: bigint, exponent: number): number {
  if (mantissa === 0n) return 0;
  const bits = mantissa.toString(2).length;
  const top = bits - 1 + exponent;
  if (top > 1024) return Number.POSITIVE_INFINITY;
  // Subnormals keep fewer bits; never fewer than zero.
  const keep = top >= -1022 ? 53 : Math.max(0, 53 - (-1022 - top));
  let shift = bits - keep;
  let m = mantissa;
  if (shift > 0) {
    const half = 1n << BigInt(shift - 1);
    const rest = m & ((1n << BigInt(shift)) - 1n);
    m >>= BigInt(shift);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
  } else {
    shift = 0;
  }
  const e = exponent + shift;
  // m < 2^54 and e >= -1074 here, so both factors are exact doubles.
  const value = Number(m) * 2 ** Math.min(e, 1023) * 2 ** Math.max(e - 1023, 0);
  return value;
}

function parseHex(s: string, start: number, negative: boolean, out: GoFloat): void {
  let i = start;
  let mantissa = 0n;
  let sawDigits = false;
  let sawDot = false;
  let fractionDigits = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) continue;
    if (c === 46) {
      if (sawDot) break;
      sawDot = true;
      continue;
    }
    if (!isHexDigit(c)) break;
    sawDigits = true;
    mantissa = mantissa * 16n + BigInt(Number.parseInt(s[i] as string, 16));
    if (sawDot) fractionDigits++;
  }
  // A hexadecimal float must have digits and a `p` exponent.
  if (!sawDigits || i >= s.length || lower(s.charCodeAt(i)) !== 112) {
    out.status = 'syntax';
    return;
  }
  const exponent = readExponent(s, i + 1);
  if (exponent === undefined) {
    out.status = 'syntax';
    return;
  }
  const magnitude = hexValue(mantissa, exponent - 4 * fractionDigits);
  out.value = negative ? -magnitude : magnitude;
  out.status = magnitude === Number.POSITIVE_INFINITY ? 'range' : 'ok';
}

// Reads `[+-]digits` (underscores allowed, checked later) to the end of `s`.
// Go caps the exponent at 10000 while reading; so do we.
function readExponent(s: string, i: number): number | undefined {
  let sign = 1;
  if (s.charCodeAt(i) === 43) i++;
  else if (s.charCodeAt(i) === 45) {
    sign = -1;
    i++;
  }
  if (i >= s.length || !isDigit(s.charCodeAt(i))) return undefined;
  let e = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) continue;
    if (!isDigit(c)) return undefined;
    if (e < 10000) e = e * 10 + (c - 48);
  }
  return sign * e;
}

/**
 * Parses `s` exactly as Go's `strconv.ParseFloat(s, 64)`: decimal with optional
 * fraction and exponent, hexadecimal with a mandatory `p` exponent, underscores
 * between digits, `inf`/`infinity`/`nan` in any case. Values beyond float64
 * give status 'range' and ±Infinity, as Go does.
 */
export function parseGoFloat(s: string, out: GoFloat): GoFloat {
  out.status = 'ok';
  out.value = 0;
  const n = s.length;
  if (n === 0) {
    out.status = 'syntax';
    return out;
  }
  let i = 0;
  const first = s.charCodeAt(0);
  const negative = first === 45;
  if (first === 43 || first === 45) i = 1;
  const lead = s.charCodeAt(i);
  if (lead === 105 || lead === 73 || lead === 110 || lead === 78) {
    const value = special(s);
    if (value === undefined) out.status = 'syntax';
    else out.value = value;
    return out;
  }
  let underscores = false;
  // Go treats "0x" as a prefix only when something follows it.
  if (i + 2 < n && lead === 48 && lower(s.charCodeAt(i + 1)) === 120) {
    for (let k = i; k < n; k++) if (s.charCodeAt(k) === 95) underscores = true;
    if (underscores && !underscoresOk(s, true)) {
      out.status = 'syntax';
      return out;
    }
    parseHex(s, i + 2, negative, out);
    return out;
  }
  let sawDigits = false;
  let sawDot = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) sawDigits = true;
    else if (c === 95) underscores = true;
    else if (c === 46 && !sawDot) sawDot = true;
    else break;
  }
  if (!sawDigits) {
    out.status = 'syntax';
    return out;
  }
  if (i < n) {
    if (lower(s.charCodeAt(i)) !== 101 || readExponent(s, i + 1) === undefined) {
      out.status = 'syntax';
      return out;
    }
    for (let k = i; k < n; k++) if (s.charCodeAt(k) === 95) underscores = true;
  }
  if (underscores && !underscoresOk(s, false)) {
    out.status = 'syntax';
    return out;
  }
  const value = Number(underscores ? s.replaceAll('_', '') : s);
  out.value = value;
  if (value === Number.POSITIVE_INFINITY || value === Number.NEGATIVE_INFINITY)
    out.status = 'range';
  return out;
}
