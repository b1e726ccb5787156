// Go compares strings byte by byte over UTF-8, which is Unicode code point
// order. JavaScript's `<` compares UTF-16 code units, which disagrees as soon as
// a character above U+FFFF (a surrogate pair, 0xD800-0xDFFF) meets one in
// U+E000-U+FFFF. Remapping the two ranges at the first difference restores code
// point order without encoding anything.

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Compares two strings in UTF-8 byte order (= code point order), like Go's
 * `a < b`. Returns a negative number, zero or a positive number.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      if (x < 0xd800 && y < 0xd800) return x - y;
      return codePointRank(x) - codePointRank(y);
    }
  }
  return a.length - b.length;
}
