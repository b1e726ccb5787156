/**
 * Executes a parsed template the way Go's text/template does: dot and
 * variables, pipelines with the previous result as the last argument,
 * `and`/`or` short-circuiting and returning an operand, `range` over slices,
 * maps (sorted keys) and integers with `break`/`continue`, `with`/`else with`,
 * `{{template}}`, and Go's execution errors
 * (`template: msg:1:5: executing "msg" at <.Foo>: ...`).
 */
import { formatValue } from './format.js';
import type { FuncMap, ParamType, TemplateFunc } from './func.js';
import {
  type ArgNode,
  type CommandNode,
  type ListNode,
  type Node,
  type NumberNode,
  nodeString,
  type ParsedTemplate,
  type PipeNode,
} from './parse.js';
import {
  float,
  GoStruct,
  type GoValue,
  kindOf,
  mapGet,
  sortedEntries,
  truth,
  typeName,
} from './values.js';

/** What a missing map key gives: Go's `missingkey=default` (no value) or `missingkey=error`. */
export type MissingKey = 'default' | 'error';

/** An execution failure with Go's message and the failing node's position. */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

class Break {}
class Continue {}
const BREAK = new Break();
const CONTINUE = new Continue();
/** Marks "no final value" (Go's `missingVal`), distinct from undefined (no value). */
const MISSING: unique symbol = Symbol('missing');
type Final = GoValue | typeof MISSING;

const MAX_DEPTH = 10_000;

/** Execute `tmpl` on `data` with the functions `funcs`. */
export function execute(
  tmpl: ParsedTemplate,
  data: GoValue,
  funcs: FuncMap,
  missingKey: MissingKey,
): string {
  const out: string[] = [];
  // `boxed`: the value's static Go type is interface{} (an element of a JSON slice or map),
  // which Go names in "can't evaluate field" errors instead of the dynamic type.
  let vars: { name: string; value: GoValue; boxed?: boolean }[] = [{ name: '$', value: data }];
  let dotBoxed = false;
  let node: ArgNode | CommandNode | PipeNode | Node | undefined;
  let name = tmpl.name;
  let depth = 0;

  const location = (pos: number): { line: number; column: number } => {
    const before = tmpl.text.slice(0, pos);
    const nl = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    return { line, column: Buffer.byteLength(before.slice(nl + 1), 'utf8') };
  };
  const fail = (message: string, cause?: unknown): never => {
    if (node === undefined)
      throw new TemplateExecError(`template: ${name}: ${message}`, undefined, undefined);
    const { line, column } = location(node.pos);
    const ctx = contextOf(node);
    throw new TemplateExecError(
      `template: ${tmpl.name}:${line}:${column}: executing ${JSON.stringify(name)} at <${ctx}>: ${message}`,
      line,
      column + 1,
      cause === undefined ? undefined : { cause },
    );
  };

  const varValue = (n: string): GoValue => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i]?.name === n) return vars[i]?.value;
    return fail(`undefined variable: ${n}`);
  };
  const setVar = (n: string, value: GoValue): void => {
    for (let i = vars.length - 1; i >= 0; i--) {
      const v = vars[i];
      if (v?.name === n) {
        v.value = value;
        return;
      }
    }
    fail(`undefined variable: ${n}`);
  };
  const setTopVar = (n: number, value: GoValue, boxed: boolean): void => {
    const v = vars[vars.length - n];
    if (v !== undefined) {
      v.value = value;
      v.boxed = boxed;
    }
  };
  const varBoxed = (n: string): boolean => {
    for (let i = vars.length - 1; i >= 0; i--)
      if (vars[i]?.name === n) return vars[i]?.boxed === true;
    return false;
  };

  const printValue = (v: GoValue): void => {
    if (v === undefined) {
      out.push('<no value>');
      return;
    }
    if (kindOf(v) === 'func')
      fail(`can't print ${nodeString(node as ArgNode)} of type ${typeName(v)}`);
    out.push(
      formatValue(
        v,
        'v',
        {
          minus: false,
          plus: false,
          sharp: false,
          space: false,
          zero: false,
          width: undefined,
          prec: undefined,
        },
        0,
      ),
    );
  };

  const walkList = (dot: GoValue, list: ListNode): void => {
    for (const n of list.nodes) walk(dot, n);
  };

  const walk = (dot: GoValue, n: Node): void => {
    node = n;
    switch (n.type) {
      case 'text':
        out.push(n.text);
        return;
      case 'action': {
        const v = evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) {
          node = n.pipe;
          printValue(v);
        }
        return;
      }
      case 'if':
      case 'with': {
        const mark = vars.length;
        const v = evalPipeline(dot, n.pipe);
        if (truth(v)) {
          if (n.type === 'with') {
            const saved = dotBoxed;
            dotBoxed = false;
            walkList(v, n.list);
            dotBoxed = saved;
          } else walkList(dot, n.list);
        } else if (n.elseList !== undefined) walkList(dot, n.elseList);
        vars = vars.slice(0, mark);
        return;
      }
      case 'range':
        walkRange(dot, n.pipe, n.list, n.elseList);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'template': {
        const t = tmpl.defined.get(n.name);
        if (t === undefined) fail(`template ${JSON.stringify(n.name)} not defined`);
        const newDot = n.pipe === undefined ? null : evalPipeline(dot, n.pipe);
        if (++depth > MAX_DEPTH) fail(`exceeded maximum template depth (${MAX_DEPTH})`);
        const saved = { vars, name, dotBoxed };
        vars = [{ name: '$', value: newDot }];
        dotBoxed = false;
        name = n.name;
        walkList(newDot, t as ListNode);
        vars = saved.vars;
        name = saved.name;
        dotBoxed = saved.dotBoxed;
        depth--;
        return;
      }
    }
  };

  const walkRange = (
    dot: GoValue,
    pipe: PipeNode,
    list: ListNode,
    elseList: ListNode | undefined,
  ): void => {
    const mark = vars.length;
    const val = evalPipeline(dot, pipe);
    const boxed =
      kindOf(val) === 'slice' || (kindOf(val) === 'map' && !(val instanceof Map && mapTyped(val)));
    const one = (ix: GoValue, elem: GoValue): boolean => {
      if (pipe.decl.length > 0) {
        if (pipe.isAssign)
          setVar(pipe.decl[0]?.ident[0] as string, pipe.decl.length > 1 ? ix : elem);
        else setTopVar(1, elem, boxed);
      }
      if (pipe.decl.length > 1) {
        if (pipe.isAssign) setVar(pipe.decl[1]?.ident[0] as string, elem);
        else setTopVar(2, ix, false);
      }
      const inner = vars.length;
      const saved = dotBoxed;
      dotBoxed = boxed;
      try {
        walkList(elem, list);
      } catch (e) {
        if (e === BREAK) return false;
        if (e !== CONTINUE) throw e;
      } finally {
        vars = vars.slice(0, inner);
        dotBoxed = saved;
      }
      return true;
    };
    let any = false;
    switch (kindOf(val)) {
      case 'slice':
        for (const [k, e] of (val as GoValue[]).entries()) {
          any = true;
          if (!one(k, e)) break;
        }
        break;
      case 'map':
        for (const [k, e] of sortedEntries(val)) {
          any = true;
          if (!one(k, e)) break;
        }
        break;
      case 'int': {
        if (pipe.decl.length > 1) {
          fail(
            `can't use ${formatValue(val, 'v', { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined }, 0)} to iterate over more than one variable`,
          );
        }
        for (let k = 0; k < (val as number); k++) {
          any = true;
          if (!one(k, k)) break;
        }
        break;
      }
      case 'invalid':
      case 'nil':
        break;
      default:
        fail(
          `range can't iterate over ${formatValue(val, 'v', { minus: false, plus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined }, 0)}`,
        );
    }
    if (!any && elseList !== undefined) walkList(dot, elseList);
    vars = vars.slice(0, mark);
  };

  const evalPipeline = (dot: GoValue, pipe: PipeNode): GoValue => {
    node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = evalCommand(dot, cmd, value);
      // Go digs the value out of an interface{}: a nil interface becomes "no value".
      if (value === null) value = undefined;
    }
    const v = value === MISSING ? undefined : value;
    for (const d of pipe.decl) {
      if (pipe.isAssign) setVar(d.ident[0] as string, v);
      else vars.push({ name: d.ident[0] as string, value: v });
    }
    return v;
  };

  const notAFunction = (args: readonly ArgNode[], final: Final): void => {
    if (args.length > 1 || final !== MISSING)
      fail(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
  };

  const evalCommand = (dot: GoValue, cmd: CommandNode, final: Final): GoValue => {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case 'field':
        node = first;
        return evalFieldChain(dot, dot, first.ident, cmd.args, final, dotBoxed);
      case 'chain': {
        node = first;
        if (first.node.type === 'nil')
          fail(`indirection through explicit nil in ${nodeString(first)}`);
        const recv = evalArg(dot, 'any', first.node);
        return evalFieldChain(dot, recv, first.field, cmd.args, final);
      }
      case 'identifier':
        return evalFunction(dot, first.ident, cmd, cmd.args, final);
      case 'pipe':
        node = first;
        notAFunction(cmd.args, final);
        return evalPipeline(dot, first);
      case 'variable': {
        node = first;
        const v = varValue(first.ident[0] as string);
        if (first.ident.length === 1) {
          notAFunction(cmd.args, final);
          return v;
        }
        return evalFieldChain(
          dot,
          v,
          first.ident.slice(1),
          cmd.args,
          final,
          varBoxed(first.ident[0] as string),
        );
      }
    }
    node = first;
    notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return fail('nil is not a command');
      case 'number':
        return idealConstant(first);
      case 'string':
        return first.text;
    }
  };

  const idealConstant = (n: NumberNode): GoValue => {
    if (n.floatSyntax) return float(n.value);
    if (n.isInt) return n.value;
    return fail(`${n.text} overflows int`);
  };

  const evalFieldChain = (
    dot: GoValue,
    receiver: GoValue,
    idents: readonly string[],
    args: readonly ArgNode[],
    final: Final,
    boxed = false,
  ): GoValue => {
    let recv = receiver;
    let recvBoxed = boxed;
    idents.forEach((id, k) => {
      const last = k === idents.length - 1;
      const fromMap = kindOf(recv) === 'map';
      recv = evalField(dot, id, last ? args : [], last ? final : MISSING, recv, recvBoxed);
      recvBoxed = fromMap;
    });
    return recv;
  };

  const evalField = (
    dot: GoValue,
    field: string,
    args: readonly ArgNode[],
    final: Final,
    receiver: GoValue,
    boxed: boolean,
  ): GoValue => {
    if (receiver === undefined) {
      if (missingKey === 'error') fail(`nil data; no entry for key ${JSON.stringify(field)}`);
      return undefined;
    }
    if (receiver === null) return fail(`nil pointer evaluating interface {}.${field}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      const method = receiver.method(field);
      if (method !== undefined) {
        const argv = args.slice(1).map((a) => evalArg(dot, 'any', a));
        if (final !== MISSING) argv.push(final);
        try {
          return method(...argv);
        } catch (e) {
          return fail(`error calling ${field}: ${(e as Error).message}`, e);
        }
      }
      if (receiver.hasField(field)) {
        if (hasArgs) fail(`${field} has arguments but cannot be invoked as function`);
        return receiver.field(field);
      }
      return fail(`can't evaluate field ${field} in type ${receiver.typeName}`);
    }
    if (kindOf(receiver) === 'map') {
      if (hasArgs) fail(`${field} is not a method but has arguments`);
      const v = mapGet(receiver, field);
      if (v === undefined && missingKey === 'error')
        fail(`map has no entry for key ${JSON.stringify(field)}`);
      return v;
    }
    return fail(
      `can't evaluate field ${field} in type ${boxed ? 'interface {}' : typeName(receiver)}`,
    );
  };

  const evalFunction = (
    dot: GoValue,
    fname: string,
    cmd: CommandNode | ArgNode,
    args: readonly ArgNode[],
    final: Final,
  ): GoValue => {
    // Go reports argument-count errors at the function name, call errors at the command.
    node = (args[0] as ArgNode | undefined) ?? cmd;
    const f = Object.hasOwn(funcs, fname) ? funcs[fname] : undefined;
    if (f === undefined) return fail(`${JSON.stringify(fname)} is not a defined function`);
    return evalCall(dot, f, fname, cmd, args, final);
  };

  const evalCall = (
    dot: GoValue,
    f: TemplateFunc,
    fname: string,
    at: CommandNode | ArgNode,
    args: readonly ArgNode[],
    final: Final,
  ): GoValue => {
    const rest = args.slice(1);
    const numIn = rest.length + (final === MISSING ? 0 : 1);
    const numFixed = f.params.length;
    if (f.variadic !== undefined) {
      if (numIn < numFixed)
        fail(`wrong number of args for ${fname}: want at least ${numFixed} got ${rest.length}`);
    } else if (numIn !== numFixed)
      fail(`wrong number of args for ${fname}: want ${numFixed} got ${numIn}`);
    const paramAt = (k: number): ParamType =>
      k < numFixed ? (f.params[k] as ParamType) : (f.variadic as ParamType);
    if (fname === 'and' || fname === 'or') {
      let v: GoValue;
      for (const a of rest) {
        v = evalArg(dot, 'value', a);
        if (truth(v) === (fname === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv = rest.map((a, k) => evalArg(dot, paramAt(k), a));
    if (final !== MISSING) argv.push(validateType(final, paramAt(argv.length)));
    node = at;
    try {
      return f.fn(...argv);
    } catch (e) {
      if (e instanceof TemplateExecError) throw e;
      return fail(`error calling ${fname}: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  };

  const validateType = (v: GoValue, t: ParamType): GoValue => {
    if (t === 'value') return v;
    if (v === undefined || v === null) {
      if (t === 'any' || t === 'slice' || t === 'map') return null;
      return fail(`invalid value; expected ${goTypeName(t)}`);
    }
    const k = kindOf(v);
    const ok =
      t === 'any' ||
      (t === 'int' && k === 'int') ||
      (t === 'float' && k === 'float') ||
      (t === 'string' && k === 'string') ||
      (t === 'bool' && k === 'bool') ||
      (t === 'slice' && k === 'slice') ||
      (t === 'map' && k === 'map' && !(v instanceof Map));
    if (!ok) fail(`wrong type for value; expected ${goTypeName(t)}; got ${typeName(v)}`);
    return v;
  };

  const evalArg = (dot: GoValue, t: ParamType, n: ArgNode): GoValue => {
    node = n;
    switch (n.type) {
      case 'dot':
        return validateType(dot, t);
      case 'nil':
        if (t === 'any' || t === 'value' || t === 'slice' || t === 'map') return null;
        return fail(`cannot assign nil to ${goTypeName(t)}`);
      case 'field':
        return validateType(evalFieldChain(dot, dot, n.ident, [n], MISSING, dotBoxed), t);
      case 'variable': {
        const v = varValue(n.ident[0] as string);
        return validateType(
          n.ident.length === 1
            ? v
            : evalFieldChain(
                dot,
                v,
                n.ident.slice(1),
                [n],
                MISSING,
                varBoxed(n.ident[0] as string),
              ),
          t,
        );
      }
      case 'pipe':
        return validateType(evalPipeline(dot, n), t);
      case 'identifier':
        return validateType(evalFunction(dot, n.ident, n, [n], MISSING), t);
      case 'chain': {
        if (n.node.type === 'nil') fail(`indirection through explicit nil in ${nodeString(n)}`);
        const recv = evalArg(dot, 'any', n.node);
        return validateType(evalFieldChain(dot, recv, n.field, [n], MISSING), t);
      }
    }
    switch (t) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        return fail(`expected bool; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.value;
        return fail(`expected integer; found ${nodeString(n)}`);
      case 'float':
        if (n.type === 'number' && n.isFloat) return float(n.value);
        return fail(`expected float; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return fail(`expected string; found ${nodeString(n)}`);
      case 'any':
      case 'value':
        if (n.type === 'bool') return n.value;
        if (n.type === 'string') return n.text;
        return idealConstant(n);
      default:
        return fail(`can't handle ${nodeString(n)} for arg of type ${goTypeName(t)}`);
    }
  };

  walkList(data, tmpl.root);
  return out.join('');
}

/** Go's `ErrorContext` text of a node: its source form. */
function contextOf(n: ArgNode | CommandNode | PipeNode | Node): string {
  switch (n.type) {
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'if':
    case 'range':
    case 'with':
      return `{{${n.type} ${nodeString(n.pipe)}}}`;
    case 'template':
      return `{{template ${JSON.stringify(n.name)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    default:
      return nodeString(n);
  }
}

/** A `Map` built by our own data (typed Go maps such as Flux's `FileChanges`) rather than JSON. */
function mapTyped(m: ReadonlyMap<GoValue, GoValue>): boolean {
  for (const v of m.values()) return v instanceof Map || v instanceof GoStruct || Array.isArray(v);
  return false;
}

function goTypeName(t: ParamType): string {
  switch (t) {
    case 'any':
      return 'interface {}';
    case 'value':
      return 'reflect.Value';
    case 'float':
      return 'float64';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return 'map[string]interface {}';
    default:
      return t;
  }
}
