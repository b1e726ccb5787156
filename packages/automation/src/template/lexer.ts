/**
 * The lexer of Go's text/template: splits a template into text and the tokens of
 * its actions, with Go's rules for trim markers (`{{- ` and ` -}}`), comments
 * (`{{/* *\/}}`, only right after the delimiter), raw strings, char constants and
 * numbers. Positions are JavaScript string offsets; error messages turn them into
 * Go's line numbers.
 */

/** Token kinds, named after Go's `itemType`s. */
export type TokenType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'comment'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

/** One token: its kind, its text, where it starts and its 1-based line. */
export interface Token {
  readonly type: TokenType;
  readonly val: string;
  readonly pos: number;
  readonly line: number;
}

// `.` alone is lexed as a field (lexFieldOrVariable emits `dot`), so only words are here.
const KEYWORDS: Readonly<Record<string, TokenType>> = {
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  range: 'range',
  nil: 'nil',
  template: 'template',
  with: 'with',
};

const LEFT = '{{';
const RIGHT = '}}';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string): boolean => c === '_' || /^[\p{L}\p{Nd}]$/u.test(c);

/** Go's `%#U` of a character, as the lexer's "bad character" message writes it. */
function goCharU(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /^\P{C}$/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}

/** Tokenize a whole template; the last token is `eof` or `error`. */
export function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let start = 0;
  // A token's line is the line of its first character, as Go's lexer tracks it; counted
  // forward from the last position asked about, since tokens are emitted in order.
  let countedTo = 0;
  let countedLine = 1;
  const lineAt = (p: number): number => {
    countedLine += countNewlines(input.slice(countedTo, p));
    countedTo = p;
    return countedLine;
  };
  let parenDepth = 0;
  let insideAction = false;

  const emitVal = (type: TokenType, val: string): void => {
    tokens.push({ type, val, pos: start, line: lineAt(start) });
    start = pos;
  };
  const emit = (type: TokenType): void => emitVal(type, input.slice(start, pos));
  const ignore = (): void => {
    start = pos;
  };
  const fail = (message: string): false => {
    tokens.push({ type: 'error', val: message, pos: start, line: lineAt(start) });
    return false;
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (
      input.startsWith(` -${RIGHT}`, pos) ||
      input.startsWith(`\t-${RIGHT}`, pos) ||
      input.startsWith(`\r-${RIGHT}`, pos) ||
      input.startsWith(`\n-${RIGHT}`, pos)
    ) {
      return { delim: true, trim: true };
    }
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };
  const atTerminator = (): boolean => {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:)('.includes(c)) return true;
    return input.startsWith(RIGHT, pos);
  };

  // lexText: text up to the next left delimiter, trimmed before `{{- `.
  const lexText = (): boolean => {
    const i = input.indexOf(LEFT, pos);
    if (i < 0) {
      pos = input.length;
      if (pos > start) emit('text');
      emitVal('eof', '');
      return false;
    }
    const trim = isTrimLeft(input, i + LEFT.length);
    let end = i;
    if (trim) while (end > start && isSpace(input[end - 1] as string)) end--;
    pos = i;
    if (end > start)
      tokens.push({ type: 'text', val: input.slice(start, end), pos: start, line: lineAt(start) });
    start = pos;
    return lexLeftDelim(trim);
  };

  const lexLeftDelim = (trim: boolean): boolean => {
    pos += LEFT.length + (trim ? 2 : 0);
    const afterMarker = pos;
    if (input.startsWith('/*', pos)) {
      pos = start;
      return lexComment(afterMarker);
    }
    tokens.push({ type: 'leftDelim', val: LEFT, pos: start, line: lineAt(start) });
    start = pos;
    insideAction = true;
    parenDepth = 0;
    return true;
  };

  const lexComment = (from: number): boolean => {
    const end = input.indexOf('*/', from + 2);
    if (end < 0) return fail('unclosed comment');
    pos = end + 2;
    const d = atRightDelim();
    if (!d.delim) return fail('comment ends before closing delimiter');
    pos += d.trim ? 2 + RIGHT.length : RIGHT.length;
    ignore();
    if (d.trim) skipLeadingSpace();
    return true;
  };

  const skipLeadingSpace = (): void => {
    while (pos < input.length && isSpace(input[pos] as string)) pos++;
    ignore();
  };

  const lexRightDelim = (trim: boolean): boolean => {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    emit('rightDelim');
    insideAction = false;
    if (trim) skipLeadingSpace();
    return true;
  };

  const lexInsideAction = (): boolean => {
    const d = atRightDelim();
    if (d.delim) {
      if (parenDepth !== 0) return fail('unclosed left paren');
      return lexRightDelim(d.trim);
    }
    const c = input[pos];
    if (c === undefined) return fail('unclosed action');
    if (isSpace(c)) {
      while (pos < input.length && isSpace(input[pos] as string)) {
        if (atRightDelim().trim) break;
        pos++;
      }
      if (pos === start) return lexRightDelim(true);
      emit('space');
      return true;
    }
    if (c === '=') {
      pos++;
      emit('assign');
      return true;
    }
    if (c === ':') {
      if (input[pos + 1] !== '=') {
        pos++;
        return fail('expected :=');
      }
      pos += 2;
      emit('declare');
      return true;
    }
    if (c === '|') {
      pos++;
      emit('pipe');
      return true;
    }
    if (c === '"') return lexQuote();
    if (c === '`') return lexRawQuote();
    if (c === '$') return lexVariable();
    if (c === "'") return lexChar();
    if (c === '.') {
      const n = input[pos + 1];
      if (n !== undefined && n >= '0' && n <= '9') return lexNumber();
      return lexField();
    }
    if (c === '+' || c === '-' || (c >= '0' && c <= '9')) return lexNumber();
    if (isAlnum(c)) return lexIdentifier();
    if (c === '(') {
      pos++;
      emit('leftParen');
      parenDepth++;
      return true;
    }
    if (c === ')') {
      pos++;
      parenDepth--;
      if (parenDepth < 0) return fail('unexpected right paren');
      emit('rightParen');
      return true;
    }
    const cp = input.codePointAt(pos) ?? 0;
    const ch = String.fromCodePoint(cp);
    if (cp <= 0x7f && /^[\x20-\x7e]$/.test(ch)) {
      pos++;
      emit('char');
      return true;
    }
    return fail(`unrecognized character in action: ${goCharU(ch)}`);
  };

  // The letters, digits and underscores of a name, which must end where a token may end.
  const scanWord = (): boolean => {
    while (pos < input.length) {
      const ch = String.fromCodePoint(input.codePointAt(pos) ?? 0);
      if (!isAlnum(ch)) break;
      pos += ch.length;
    }
    if (atTerminator()) return true;
    return fail(`bad character ${goCharU(String.fromCodePoint(input.codePointAt(pos) ?? 0))}`);
  };

  const lexIdentifier = (): boolean => {
    if (!scanWord()) return false;
    const word = input.slice(start, pos);
    const kw = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
    if (kw !== undefined) emit(kw);
    else if (word === 'true' || word === 'false') emit('bool');
    else emit('identifier');
    return true;
  };

  const lexFieldOrVariable = (type: 'field' | 'variable'): boolean => {
    if (atTerminatorAt(pos + 1)) {
      pos++;
      emit(type === 'variable' ? 'variable' : 'dot');
      return true;
    }
    pos++;
    if (!scanWord()) return false;
    emit(type);
    return true;
  };
  const atTerminatorAt = (p: number): boolean => {
    const save = pos;
    pos = p;
    const r = atTerminator();
    pos = save;
    return r;
  };
  const lexField = (): boolean => lexFieldOrVariable('field');
  const lexVariable = (): boolean => lexFieldOrVariable('variable');

  // A quoted string or character constant: up to the closing `quote`, skipping escapes;
  // a line break or the end of the input before it is Go's "unterminated" error.
  const lexQuoted = (quote: string, kind: 'charConstant' | 'string', what: string): boolean => {
    pos++;
    for (;;) {
      const c = input[pos];
      if (c === '\\' && pos + 1 < input.length && input[pos + 1] !== '\n') {
        pos += 2;
        continue;
      }
      if (c === undefined || c === '\n') return fail(`unterminated ${what}`);
      pos++;
      if (c === quote) break;
    }
    emit(kind);
    return true;
  };
  const lexChar = (): boolean => lexQuoted("'", 'charConstant', 'character constant');
  const lexQuote = (): boolean => lexQuoted('"', 'string', 'quoted string');

  const lexRawQuote = (): boolean => {
    const end = input.indexOf('`', pos + 1);
    if (end < 0) return fail('unterminated raw quoted string');
    pos = end + 1;
    emit('rawString');
    return true;
  };

  const lexNumber = (): boolean => {
    if (!scanNumber()) return fail(`bad number syntax: "${input.slice(start, pos)}"`);
    emit('number');
    return true;
  };

  const scanNumber = (): boolean => {
    if (input[pos] === '+' || input[pos] === '-') pos++;
    let digits = '0123456789_';
    const prefix = input.slice(pos, pos + 2).toLowerCase();
    if (input[pos] === '0' && (prefix === '0x' || prefix === '0o' || prefix === '0b')) {
      pos += 2;
      digits = prefix === '0x' ? '0123456789abcdefABCDEF_' : prefix === '0o' ? '01234567_' : '01_';
    }
    const run = (set: string): void => {
      while (pos < input.length && set.includes(input[pos] as string)) pos++;
    };
    run(digits);
    if (input[pos] === '.') {
      pos++;
      run(digits);
    }
    if (digits.length === 11 && (input[pos] === 'e' || input[pos] === 'E')) {
      pos++;
      if (input[pos] === '+' || input[pos] === '-') pos++;
      run('0123456789_');
    }
    if (digits.length === 23 && (input[pos] === 'p' || input[pos] === 'P')) {
      pos++;
      if (input[pos] === '+' || input[pos] === '-') pos++;
      run('0123456789_');
    }
    if (input[pos] === 'i') pos++;
    const c = input[pos];
    if (c !== undefined && isAlnum(c)) {
      pos++;
      return false;
    }
    return true;
  };

  for (;;) {
    const ok = insideAction ? lexInsideAction() : lexText();
    if (!ok) break;
  }
  return tokens;
}

function isTrimLeft(input: string, at: number): boolean {
  return input[at] === '-' && isSpace(input[at + 1] ?? '');
}

function countNewlines(s: string): number {
  let n = 0;
  for (const c of s) if (c === '\n') n++;
  return n;
}
