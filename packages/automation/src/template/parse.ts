/**
 * The parser of Go's text/template: builds the tree `exec.ts` walks, with Go's
 * checks done at parse time (unknown functions, undefined variables,
 * `{{break}}` outside `{{range}}`, non-executable pipeline stages) and Go's
 * messages (`template: msg:3: function "now" not defined`).
 */
import { lex, type Token, type TokenType } from './lexer.js';

/** A node's position: offset in the template text. */
interface At {
  readonly pos: number;
}
export interface TextNode extends At {
  readonly type: 'text';
  readonly text: string;
}
export interface ActionNode extends At {
  readonly type: 'action';
  readonly pipe: PipeNode;
}
export interface PipeNode extends At {
  readonly type: 'pipe';
  readonly isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode extends At {
  readonly type: 'command';
  readonly args: ArgNode[];
}
export interface BranchNode extends At {
  readonly type: 'if' | 'range' | 'with';
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface ListNode extends At {
  readonly type: 'list';
  readonly nodes: Node[];
}
export interface TemplateNode extends At {
  readonly type: 'template';
  readonly name: string;
  readonly pipe: PipeNode | undefined;
}
export interface LoopControlNode extends At {
  readonly type: 'break' | 'continue';
}
export interface FieldNode extends At {
  readonly type: 'field';
  readonly ident: string[];
}
export interface VariableNode extends At {
  readonly type: 'variable';
  readonly ident: string[];
}
export interface ChainNode extends At {
  readonly type: 'chain';
  readonly node: ArgNode;
  readonly field: string[];
}
export interface IdentifierNode extends At {
  readonly type: 'identifier';
  readonly ident: string;
}
export interface DotNode extends At {
  readonly type: 'dot';
}
export interface NilNode extends At {
  readonly type: 'nil';
}
export interface BoolNode extends At {
  readonly type: 'bool';
  readonly value: boolean;
}
export interface StringNode extends At {
  readonly type: 'string';
  readonly quoted: string;
  readonly text: string;
}
export interface NumberNode extends At {
  readonly type: 'number';
  readonly text: string;
  readonly isInt: boolean;
  readonly isFloat: boolean;
  /** The value as an int (when `isInt`) or a float (when `isFloat`). */
  readonly value: number;
  /** Written as a float (`1.0`, `1e3`) rather than an integer or a char constant. */
  readonly floatSyntax: boolean;
}
/** A node that can be a command's operand. */
export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | StringNode
  | NumberNode
  | PipeNode;
/** A node of a list. */
export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopControlNode;

/** A parse failure: Go's message and the 1-based line. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly pos: number,
  ) {
    super(message);
  }
}

/** Parse results: the main tree and the `{{define}}`d and `{{block}}` ones. */
export interface ParsedTemplate {
  readonly name: string;
  readonly text: string;
  readonly root: ListNode;
  readonly defined: ReadonlyMap<string, ListNode>;
}

/** Render a node back to template syntax, as Go's `Node.String` does (for error messages). */
export function nodeString(n: ArgNode | CommandNode): string {
  switch (n.type) {
    case 'field':
      return `.${n.ident.join('.')}`;
    case 'variable':
      return n.ident.join('.');
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return `${inner}.${n.field.join('.')}`;
    }
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'string':
      return n.quoted;
    case 'number':
      return n.text;
    case 'command':
      return n.args
        .map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a)))
        .join(' ');
    case 'pipe': {
      const decl =
        n.decl.length > 0
          ? `${n.decl.map((d) => d.ident.join('.')).join(', ')} ${n.isAssign ? '=' : ':='} `
          : '';
      return decl + n.cmds.map(nodeString).join(' | ');
    }
  }
}

const unquoteEscapes: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Go's `strconv.Unquote` for "..." strings and '...' chars; throws on a bad escape. */
export function unquote(q: string): string {
  const quote = q[0];
  let out = '';
  const bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    }
  };
  for (let i = 1; i < q.length - 1; i++) {
    const c = q[i] as string;
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const e = q[++i] ?? '';
    const simple = unquoteEscapes[e];
    if (simple !== undefined) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'"))
        throw new Error('invalid syntax');
      flush();
      out += simple;
      continue;
    }
    const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLen > 0) {
      const h = q.slice(i + 1, i + 1 + hexLen);
      if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== hexLen) throw new Error('invalid syntax');
      i += hexLen;
      const v = Number.parseInt(h, 16);
      if (e === 'x') bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new Error('invalid syntax');
        flush();
        out += String.fromCodePoint(v);
      }
      continue;
    }
    if (e >= '0' && e <= '7') {
      const o = q.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new Error('invalid syntax');
      const v = Number.parseInt(o, 8);
      if (v > 255) throw new Error('invalid syntax');
      bytes.push(v);
      i += 2;
      continue;
    }
    throw new Error('invalid syntax');
  }
  flush();
  return out;
}

/** The length of the escape `\\e...` in a character constant, by its letter `e`. */
function escapeLength(e: string | undefined): number {
  if (e === 'x') return 4;
  if (e === 'u') return 6;
  if (e === 'U') return 10;
  if (e !== undefined && e >= '0' && e <= '7') return 4;
  return 2;
}

/**
 * A character constant as Go's parser reads it with `strconv.UnquoteChar`: one character or
 * one escape, whose failure is "invalid syntax"; anything left after it is "malformed". A
 * `\\x` or octal escape is the byte's value itself, not a UTF-8 sequence.
 */
function charConstant(text: string) {
  const body = text.slice(1, -1);
  if (body === '') throw new Error('invalid syntax');
  const letter = body.startsWith('\\') ? body[1] : undefined;
  const first =
    letter === undefined
      ? String.fromCodePoint(body.codePointAt(0) ?? 0)
      : body.slice(0, escapeLength(letter));
  let s: string;
  try {
    s = unquote(`'${first}'`);
  } catch {
    throw new Error('invalid syntax');
  }
  if (first.length !== body.length) throw new Error(`malformed character constant: ${text}`);
  const value =
    letter === 'x'
      ? Number.parseInt(first.slice(2), 16)
      : letter !== undefined && letter >= '0' && letter <= '7'
        ? Number.parseInt(first.slice(1), 8)
        : (s.codePointAt(0) ?? 0);
  return { isInt: true, isFloat: true, value, floatSyntax: false };
}

function parseNumber(tok: Token): NumberNode {
  const text = tok.val;
  const base = { type: 'number' as const, pos: tok.pos, text };
  if (tok.type === 'charConstant') return { ...base, ...charConstant(text) };
  if (text.endsWith('i')) throw new Error(`complex numbers are not supported: ${text}`);
  const clean = text.replace(/_/g, '');
  if (
    clean !== text &&
    !/^[+-]?(0[xXbBoO])?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(
      text.replace(/^([+-]?0[xXbBoO])_/, '$1'),
    )
  ) {
    if (!/^[+-]?[0-9]+(_[0-9]+)*(\.[0-9]+(_[0-9]+)*)?([eE][+-]?[0-9]+)?$/.test(text))
      throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  }
  const sign = clean.startsWith('-') ? -1 : 1;
  const unsigned = clean.replace(/^[+-]/, '');
  let value: number;
  let isIntSyntax = false;
  const lower = unsigned.toLowerCase();
  if (/^0x[0-9a-f]+$/.test(lower)) {
    value = Number.parseInt(lower.slice(2), 16);
    isIntSyntax = true;
  } else if (/^0o[0-7]+$/.test(lower)) {
    value = Number.parseInt(lower.slice(2), 8);
    isIntSyntax = true;
  } else if (/^0b[01]+$/.test(lower)) {
    value = Number.parseInt(lower.slice(2), 2);
    isIntSyntax = true;
  } else if (/^0[0-7]+$/.test(lower)) {
    value = Number.parseInt(lower, 8);
    isIntSyntax = true;
  } else if (/^[0-9]+$/.test(lower)) {
    value = Number.parseInt(lower, 10);
    isIntSyntax = true;
  } else if (/^([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/.test(lower)) {
    value = Number.parseFloat(lower);
  } else {
    throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  }
  value *= sign;
  const fitsInt = Number.isInteger(value) && Math.abs(value) < 2 ** 63;
  const isInt = fitsInt && (isIntSyntax || Number.isInteger(value));
  const floatSyntax = !isIntSyntax;
  if (!Number.isFinite(value)) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  return { ...base, isInt, isFloat: true, value, floatSyntax };
}

/** Go's `item.String()`, used in "unexpected ..." messages. */
function tokenString(t: Token): string {
  if (t.type === 'eof') return 'EOF';
  if (t.type === 'error') return t.val;
  if (KEYWORD_TYPES.has(t.type)) return `<${t.val}>`;
  if ([...t.val].length > 10) return `${goQuote([...t.val].slice(0, 10).join(''))}...`;
  return goQuote(t.val);
}
const KEYWORD_TYPES: ReadonlySet<TokenType> = new Set([
  'block',
  'break',
  'continue',
  'dot',
  'define',
  'else',
  'end',
  'if',
  'nil',
  'range',
  'template',
  'with',
]);

/** A minimal `%q` of a string for parser messages (format.ts has the full one). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

interface ElseNode {
  readonly type: 'else';
  readonly pos: number;
}
interface EndNode {
  readonly type: 'end';
  readonly pos: number;
}

/** Options of {@link parse}. */
export interface ParseOptions {
  /** The template's name in messages. */
  readonly name: string;
  /** Whether a function name is known (builtins and the function map). */
  readonly hasFunction: (name: string) => boolean;
}

/** Parse a template; throws {@link TemplateSyntaxError} with Go's message. */
export function parse(text: string, options: ParseOptions): ParsedTemplate {
  const tokens = lex(text);
  const defined = new Map<string, ListNode>();
  let i = 0;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let actionLine = 0;
  let last: Token = tokens[0] as Token;

  const fail = (message: string, tok: Token = last): never => {
    throw new TemplateSyntaxError(
      `template: ${options.name}:${tok.line}: ${message}`,
      tok.line,
      tok.pos,
    );
  };
  const next = (): Token => {
    const t = tokens[i] ?? (tokens[tokens.length - 1] as Token);
    if (i < tokens.length) i++;
    last = t;
    return t;
  };
  const backup = (n = 1): void => {
    i -= n;
  };
  const peek = (): Token => tokens[i] ?? (tokens[tokens.length - 1] as Token);
  const nextNonSpace = (): Token => {
    let t = next();
    while (t.type === 'space') t = next();
    return t;
  };
  const peekNonSpace = (): Token => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const unexpected = (t: Token, context: string): never => {
    if (t.type === 'error') {
      let extra = '';
      if (actionLine !== 0 && actionLine !== t.line) {
        extra = ` in action started at ${options.name}:${actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      return fail(`${t.val}${extra}`, t);
    }
    return fail(`unexpected ${tokenString(t)} in ${context}`, t);
  };
  const expect = (type: TokenType, context: string): Token => {
    const t = nextNonSpace();
    if (t.type !== type) unexpected(t, context);
    return t;
  };

  const newList = (pos: number): ListNode => ({ type: 'list', pos, nodes: [] });

  const itemList = (): [ListNode, ElseNode | EndNode] => {
    const list = newList(peekNonSpace().pos);
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    return fail('unexpected EOF', peek());
  };

  const textOrAction = (): Node | ElseNode | EndNode => {
    const t = nextNonSpace();
    if (t.type === 'text') return { type: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') {
      actionLine = t.line;
      try {
        return action();
      } finally {
        actionLine = 0;
      }
    }
    return unexpected(t, 'input');
  };

  const action = (): Node | ElseNode | EndNode => {
    const t = nextNonSpace();
    switch (t.type) {
      case 'block':
        return blockControl();
      case 'break':
      case 'continue':
        return loopControl(t.type);
      case 'else':
        return elseControl(t);
      case 'end':
        return { type: 'end', pos: expect('rightDelim', 'end').pos };
      case 'if':
      case 'range':
      case 'with':
        return branch(t.type);
      case 'template':
        return templateControl();
    }
    backup();
    const p = peek();
    return { type: 'action', pos: p.pos, pipe: pipeline('command', 'rightDelim') };
  };

  const loopControl = (kind: 'break' | 'continue'): LoopControlNode => {
    const t = nextNonSpace();
    if (t.type !== 'rightDelim') unexpected(t, `{{${kind}}}`);
    if (rangeDepth === 0) fail(`{{${kind}}} outside {{range}}`, t);
    return { type: kind, pos: t.pos };
  };

  const elseControl = (t: Token): ElseNode => {
    const p = peekNonSpace();
    if (p.type === 'if' || p.type === 'with') return { type: 'else', pos: p.pos };
    expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos };
  };

  const branch = (context: 'if' | 'range' | 'with'): BranchNode => {
    const saved = vars.length;
    try {
      const pipe = pipeline(context, 'rightDelim');
      if (context === 'range') rangeDepth++;
      let list: ListNode;
      let end: ElseNode | EndNode;
      try {
        [list, end] = itemList();
      } finally {
        if (context === 'range') rangeDepth--;
      }
      let elseList: ListNode | undefined;
      if (end.type === 'else') {
        if (
          (context === 'if' && peek().type === 'if') ||
          (context === 'with' && peek().type === 'with')
        ) {
          next();
          elseList = newList(end.pos);
          elseList.nodes.push(branch(context));
        } else {
          const [l, e] = itemList();
          if (e.type !== 'end') fail(`expected end; found {{else}}`);
          elseList = l;
        }
      }
      return { type: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      vars = vars.slice(0, saved);
    }
  };

  const templateName = (t: Token, context: string): string => {
    if (t.type !== 'string' && t.type !== 'rawString') return unexpected(t, context);
    try {
      return t.type === 'rawString' ? t.val.slice(1, -1) : unquote(t.val);
    } catch {
      return fail('invalid syntax', t);
    }
  };

  const templateControl = (): TemplateNode => {
    const t = nextNonSpace();
    const name = templateName(t, 'template clause');
    let pipe: PipeNode | undefined;
    if (nextNonSpace().type !== 'rightDelim') {
      backup();
      pipe = pipeline('template clause', 'rightDelim');
    }
    return { type: 'template', pos: t.pos, name, pipe };
  };

  const blockControl = (): TemplateNode => {
    const context = 'block clause';
    const t = nextNonSpace();
    const name = templateName(t, context);
    const pipe = pipeline(context, 'rightDelim');
    const savedVars = vars;
    const savedDepth = rangeDepth;
    vars = ['$'];
    rangeDepth = 0;
    const [root, end] = itemList();
    if (end.type !== 'end') fail(`unexpected {{else}} in ${context}`);
    vars = savedVars;
    rangeDepth = savedDepth;
    addTree(name, root);
    return { type: 'template', pos: t.pos, name, pipe };
  };

  const definition = (): void => {
    const context = 'define clause';
    const name = templateName(nextNonSpace(), context);
    expect('rightDelim', context);
    const savedVars = vars;
    vars = ['$'];
    const [root, end] = itemList();
    if (end.type !== 'end') fail(`unexpected {{else}} in ${context}`);
    vars = savedVars;
    addTree(name, root);
  };
  // Go's Tree.add: a non-empty definition replaces an empty one, an empty one never
  // replaces a non-empty one, and two non-empty ones are an error.
  const addTree = (name: string, root: ListNode): void => {
    const existing = defined.get(name);
    if (existing === undefined || isEmptyTree(existing)) defined.set(name, root);
    else if (!isEmptyTree(root))
      fail(`template: multiple definition of template ${JSON.stringify(name)}`);
  };

  const pipeline = (context: string, end: 'rightDelim' | 'rightParen'): PipeNode => {
    const start = peekNonSpace();
    const decl: VariableNode[] = [];
    let isAssign = false;
    for (;;) {
      const v = peekNonSpace();
      if (v.type !== 'variable') break;
      nextNonSpace();
      const n = peekNonSpace();
      if (n.type === 'assign' || n.type === 'declare') {
        isAssign = n.type === 'assign';
        nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        break;
      }
      if (n.type === 'char' && n.val === ',') {
        nextNonSpace();
        decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        vars.push(v.val);
        if (context === 'range' && decl.length < 2) {
          const p = peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue;
          fail('range can only initialize variables');
        }
        fail(`too many declarations in ${context}`);
      }
      // Neither a declaration nor a list of them: the variable is an operand.
      i = tokens.indexOf(v);
      break;
    }
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, isAssign, decl, cmds: [] };
    for (;;) {
      const t = nextNonSpace();
      if (t.type === end) {
        checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  };

  const checkPipeline = (pipe: PipeNode, context: string): void => {
    if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, k) => {
      const first = c.args[0];
      if (first !== undefined && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.type)) {
        fail(`non executable command in pipeline stage ${k + 2}`);
      }
    });
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op !== undefined) cmd.args.push(op);
      const t = next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') backup();
      else if (t.type !== 'pipe') unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  };

  const operand = (): ArgNode | undefined => {
    const node = term();
    if (node === undefined) return undefined;
    if (peek().type !== 'field') return node;
    const chainPos = peek().pos;
    const fields: string[] = [];
    while (peek().type === 'field') fields.push(next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
      default:
        return { type: 'chain', pos: chainPos, node, field: fields };
    }
  };

  const term = (): ArgNode | undefined => {
    const t = nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!options.hasFunction(t.val)) fail(`function ${JSON.stringify(t.val)} not defined`, t);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!vars.includes(t.val)) fail(`undefined variable ${JSON.stringify(t.val)}`, t);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'number':
        try {
          return parseNumber(t);
        } catch (e) {
          return fail((e as Error).message, t);
        }
      case 'leftParen':
        return pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString': {
        let text: string;
        try {
          text = t.type === 'rawString' ? t.val.slice(1, -1).replace(/\r/g, '') : unquote(t.val);
        } catch {
          return fail('invalid syntax', t);
        }
        return { type: 'string', pos: t.pos, quoted: t.val, text };
      }
    }
    backup();
    return undefined;
  };

  const root = newList(0);
  while (peek().type !== 'eof') {
    if (peek().type === 'leftDelim') {
      const delim = next();
      if (nextNonSpace().type === 'define') {
        actionLine = delim.line;
        definition();
        actionLine = 0;
        continue;
      }
      i = tokens.indexOf(delim);
    }
    const n = textOrAction();
    if (n.type === 'end' || n.type === 'else') fail(`unexpected {{${n.type}}}`);
    else root.nodes.push(n);
  }
  addTree(options.name, root);
  return { name: options.name, text, root, defined };
}

function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) => n.type === 'text' && n.text.trim() === '');
}
