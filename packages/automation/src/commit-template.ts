/**
 * Flux's commit messages: a Go text/template with sprig's hermetic functions,
 * parsed once (at config load, so a broken template fails before any cycle) and
 * rendered with {@link TemplateData}.
 */
import { AutomationError } from './errors.js';
import { parseTemplate, type Template } from './template/engine.js';
import { TemplateExecError } from './template/exec.js';
import type { ArgNode, ListNode, Node, PipeNode } from './template/parse.js';
import { TemplateSyntaxError } from './template/parse.js';
import { SPRIG } from './template/sprig.js';
import { type TemplateData, toGoValue } from './template-data.js';

/** Flux's default message, used for an empty template. */
export const DEFAULT_COMMIT_TEMPLATE = 'Update from image update automation';

const REMOVED_UPDATED =
  "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template";

/** Options of {@link parseCommitTemplate}. */
export interface CommitTemplateOptions {
  /** The template's name in messages. Default: `'msg'`. */
  readonly name?: string;
  /**
   * The ImageUpdateAutomation's `apiVersion`. With one ending in `/v1`, `.Updated` is an error
   * (as in Flux 1.x); otherwise (v1beta1, v1beta2, or not given) `.Updated` works.
   * Default: none (`.Updated` available).
   */
  readonly apiVersion?: string;
}

/** A parsed commit message template. */
export interface CommitTemplate {
  /** The template text (Flux's default message when the given text was empty). */
  readonly source: string;
  /** Whether the template reads the deprecated `.Updated` (the loader warns). */
  readonly usesUpdated: boolean;
  /**
   * Render the message.
   * @throws AutomationError `TEMPLATE_EXEC` with Go's message (`template: msg:1:5: executing "msg" at <...>: ...`).
   */
  render(data: TemplateData): string;
}

/**
 * Parse a commit message template: Go text/template plus sprig's deterministic functions.
 *
 * @param text - The template; empty means {@link DEFAULT_COMMIT_TEMPLATE}.
 * @throws AutomationError `TEMPLATE_PARSE` with Go's message and the template's 1-based `line`
 *   and `column`; also for `.Updated` when `apiVersion` ends in `/v1`, with Flux's message.
 */
export function parseCommitTemplate(
  text: string,
  options: CommitTemplateOptions = {},
): CommitTemplate {
  if (typeof text !== 'string')
    throw new AutomationError(
      'INVALID_ARGUMENT',
      'parseCommitTemplate: the template must be a string',
    );
  const source = text === '' ? DEFAULT_COMMIT_TEMPLATE : text;
  const name = options.name ?? 'msg';
  let tmpl: Template;
  try {
    tmpl = parseTemplate(source, { name, funcs: SPRIG });
  } catch (e) {
    if (e instanceof TemplateSyntaxError) {
      throw new AutomationError('TEMPLATE_PARSE', e.message, {
        line: e.line,
        column: columnOf(source, e.pos),
        cause: e,
      });
    }
    throw e;
  }
  const usesUpdated = readsUpdated(tmpl.tree.root);
  const legacy = !(options.apiVersion ?? '').endsWith('/v1');
  if (usesUpdated && !legacy) throw new AutomationError('TEMPLATE_PARSE', REMOVED_UPDATED);
  return {
    source,
    usesUpdated,
    render(data: TemplateData): string {
      try {
        return tmpl.execute(toGoValue(data, legacy));
      } catch (e) {
        if (e instanceof TemplateExecError) {
          // Flux turns Go's error for the missing field into its own message.
          const message = e.message.includes(
            "can't evaluate field Updated in type source.TemplateData",
          )
            ? REMOVED_UPDATED
            : e.message;
          const details =
            e.line === undefined || e.column === undefined
              ? { cause: e }
              : { line: e.line, column: e.column, cause: e };
          throw new AutomationError('TEMPLATE_EXEC', message, details);
        }
        throw e;
      }
    },
  };
}

/**
 * Render a commit message; a string template is parsed first (with `.Updated` available).
 * @throws AutomationError `TEMPLATE_PARSE` or `TEMPLATE_EXEC`.
 */
export function renderCommitMessage(template: string | CommitTemplate, data: TemplateData): string {
  return (typeof template === 'string' ? parseCommitTemplate(template) : template).render(data);
}

function columnOf(text: string, pos: number): number {
  const before = text.slice(0, pos);
  return Buffer.byteLength(before.slice(before.lastIndexOf('\n') + 1), 'utf8') + 1;
}

/**
 * Whether the template reads `.Updated` of the root data: a field `.Updated…` where dot is
 * still the root (outside `range`/`with` bodies), or `$.Updated…` anywhere.
 */
function readsUpdated(root: ListNode): boolean {
  const inArg = (a: ArgNode, dotIsRoot: boolean): boolean => {
    switch (a.type) {
      case 'field':
        return dotIsRoot && a.ident[0] === 'Updated';
      case 'variable':
        return a.ident[0] === '$' && a.ident[1] === 'Updated';
      case 'chain':
        return inArg(a.node, dotIsRoot);
      case 'pipe':
        return inPipe(a, dotIsRoot);
      default:
        return false;
    }
  };
  const inPipe = (p: PipeNode, dotIsRoot: boolean): boolean =>
    p.cmds.some((c) => c.args.some((a) => inArg(a, dotIsRoot)));
  const inList = (l: ListNode | undefined, dotIsRoot: boolean): boolean =>
    l?.nodes.some((n) => inNode(n, dotIsRoot)) === true;
  const inNode = (n: Node, dotIsRoot: boolean): boolean => {
    switch (n.type) {
      case 'action':
        return inPipe(n.pipe, dotIsRoot);
      case 'if':
        return (
          inPipe(n.pipe, dotIsRoot) || inList(n.list, dotIsRoot) || inList(n.elseList, dotIsRoot)
        );
      case 'range':
      case 'with':
        return inPipe(n.pipe, dotIsRoot) || inList(n.list, false) || inList(n.elseList, dotIsRoot);
      case 'template':
        return n.pipe !== undefined && inPipe(n.pipe, dotIsRoot);
      default:
        return false;
    }
  };
  return inList(root, true);
}
