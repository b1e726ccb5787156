/** How a scalar was written in the source; the new value keeps it when it can. */
export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

// Plain scalars that a YAML 1.2 (core schema) or YAML 1.1 reader resolves to
// something other than this string. Both matter: Flux, kustomize and Helm read
// with go-yaml (1.2 core plus 1.1 booleans on output), older tools with 1.1.
// The 1.1 patterns are exactly eemeli/yaml's 1.1 schema (yaml/dist/schema/
// yaml-1.1: it reads `e1`, `09_`, `0:30` and `2024-06-27 1:2:3` as numbers and
// times, looser than the 1.1 spec), because a needless quote is harmless and a
// missing one changes the value's type.
const NON_STRING_PLAIN: readonly RegExp[] = [
  // null
  /^(?:~|null|Null|NULL)$/,
  // booleans: 1.2 core, then the 1.1 extras
  /^(?:true|True|TRUE|false|False|FALSE)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  // integers: 1.2 core octal/hex, 1.1 decimal/binary/octal/hex with `_`, sexagesimal
  /^0o[0-7]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  // floats: 1.1 (with `_`, exponent without digits before it, sexagesimal; the
  // 1.2 core floats are among them, or integers), infinities and NaN
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // 1.1 timestamps, one-digit parts included (go-yaml also decodes these into
  // time.Time: Go's layout `2006-1-2 15:4:5` takes one or two digits per part)
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:[ \t]*(?:Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
  // 1.1 merge key and value key
  /^(?:<<|=)$/,
];

// go-yaml v3, which Flux and kustomize read with, drops every `_` from a plain
// scalar that starts with a digit or sign, then tries Go's ParseInt with base
// prefixes in either case (`0X1F`, `-0o17`, `0B1`) and its float syntax.
const GO_YAML_NUMBER_START = /^[-+0-9]/;
const GO_YAML_NUMBER =
  /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

function readsAsNonString(value: string): boolean {
  if (NON_STRING_PLAIN.some((pattern) => pattern.test(value))) return true;
  return GO_YAML_NUMBER_START.test(value) && GO_YAML_NUMBER.test(value.replaceAll('_', ''));
}

// A plain scalar may not start with an indicator (some may when followed by a
// non-space, but nobody benefits from relying on that), and may not contain
// `: `, ` #`, a trailing `:`, flow indicators (it may sit in a flow collection),
// leading or trailing white space, or any character that needs an escape.
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
// `...` (and `---`, already an indicator) followed by a blank ends (starts) a
// document when the scalar sits at the start of a line, as a root value can.
const DOCUMENT_MARKER_START = /^\.\.\.(?:[ \t]|$)/;
const UNSAFE_INSIDE = /: |:$| #|[,[\]{}]|^[ \t]|[ \t]$/;
const LONE_SURROGATE =
  '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const NEEDS_ESCAPE = new RegExp(
  `[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufeff\\ufffe\\uffff]|${LONE_SURROGATE}`,
);
const TAB = /\t/;

/**
 * Whether `value` can be written as a plain scalar and read back as the same
 * string: it is not empty (that reads as null), reads as no other type, and
 * breaks none of the rules above.
 */
export function canStayPlain(value: string): boolean {
  return !(
    value === '' ||
    readsAsNonString(value) ||
    INDICATOR_START.test(value) ||
    DOCUMENT_MARKER_START.test(value) ||
    UNSAFE_INSIDE.test(value) ||
    NEEDS_ESCAPE.test(value) ||
    TAB.test(value)
  );
}

/** Writes `value` in the given style, switching to double quotes when the style cannot hold it. */
export function renderScalar(value: string, style: ScalarStyle): string {
  if (style === 'PLAIN' && canStayPlain(value)) return value;
  // Single quotes have no escapes: a control or line-break character would fold or be illegal.
  if (style === 'QUOTE_SINGLE' && !NEEDS_ESCAPE.test(value)) {
    return `'${value.replaceAll("'", "''")}'`;
  }
  return `"${escapeDouble(value)}"`;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\0': '\\0',
  '\u0007': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\u000b': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\u001b': '\\e',
  '\u0085': '\\N',
  '\u00a0': '\\_',
  '\u2028': '\\L',
  '\u2029': '\\P',
};

// Everything outside YAML's printable set, plus `\` and `"`. U+00A0 is printable
// but escaped so a no-break space is visible in review. Lone surrogates cannot
// be encoded as UTF-8 at all, so they are written as `\u` escapes too.
const DOUBLE_ESCAPE = new RegExp(
  `[\\\\"\\u0000-\\u001f\\u007f-\\u009f\\u00a0\\u2028\\u2029\\ufeff\\ufffe\\uffff]|${LONE_SURROGATE}`,
  'g',
);

function escapeDouble(value: string): string {
  return value.replace(DOUBLE_ESCAPE, (char) => {
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) return named;
    const code = char.charCodeAt(0);
    // Every character escaped here is below U+00A0 or from U+2028 up, so `\u` always has four digits.
    // Stryker disable next-line EqualityOperator: U+00FF itself is printable and never escaped, so `<` and `<=` agree
    return code <= 0xff
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase()}`;
  });
}
