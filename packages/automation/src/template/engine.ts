/**
 * The engine's entry point: parse once, execute many times, like Go's
 * `template.New(name).Funcs(funcs).Option("missingkey=...").Parse(text)`.
 */
import { BUILTINS } from './builtins.js';
import { execute, type MissingKey } from './exec.js';
import type { FuncMap } from './func.js';
import { type ParsedTemplate, parse } from './parse.js';
import type { GoValue } from './values.js';

/** Options of {@link parseTemplate}. */
export interface EngineOptions {
  /** The template's name in messages. Default: `'template'`. */
  readonly name?: string;
  /** Functions added to (and shadowing) the builtins. Default: none. */
  readonly funcs?: FuncMap;
  /** Go's `missingkey` option. Default: `'default'` (a missing key is "no value"). */
  readonly missingKey?: MissingKey;
}

/** A parsed template. */
export interface Template {
  /** The parse tree (for static checks such as Flux's removed fields). */
  readonly tree: ParsedTemplate;
  /** Render with `data` as dot; throws `TemplateExecError`. */
  execute(data: GoValue): string;
}

/** Parse `text`; throws `TemplateSyntaxError` with Go's message. */
export function parseTemplate(text: string, options: EngineOptions = {}): Template {
  const funcs: FuncMap = { ...BUILTINS, ...options.funcs };
  const tree = parse(text, {
    name: options.name ?? 'template',
    hasFunction: (n) => Object.hasOwn(funcs, n),
  });
  const missingKey = options.missingKey ?? 'default';
  return { tree, execute: (data) => execute(tree, data, funcs, missingKey) };
}
