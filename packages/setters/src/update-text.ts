import { type Document, isMap, isScalar, type Node } from 'yaml';
import {
  type LocatedMarker,
  locateMarkers,
  parseDocuments,
  parseTokens,
  scanComments,
} from './locate.js';
import { parseSetter, setterValue } from './marker.js';
import { type CheckedPolicies, checkPolicies } from './policies.js';
import { LineIndex } from './positions.js';
import { renderScalar } from './quote.js';
import type {
  Change,
  ChangedObject,
  Marker,
  Policies,
  Problem,
  TextUpdate,
  UpdateTextOptions,
} from './types.js';
import { verifyPatch } from './verify.js';

interface Edit {
  start: number;
  end: number;
  replacement: string;
  node: Node;
  newValue: string;
  change: Change;
}

/**
 * Sets every marked value in one YAML text to what its policy selects, changing
 * only the bytes of those values. The result is re-parsed and proven before it
 * is returned; if the proof fails the text comes back unchanged with a
 * `verify-failed` problem. Bad YAML never throws: it is a `parse-error` problem.
 *
 * @throws {SettersError} `INVALID_ARGUMENT` when `policies` is not a Map or an
 * object, `INVALID_REF` when any ref in it is invalid (every ref is checked,
 * whether or not a marker in `text` names it).
 *
 * @example
 * updateText('image: app:v1 # {"$imagepolicy": "ns:app"}\n', { 'ns:app': { name: 'app', tag: 'v2' } }).text
 * // 'image: app:v2 # {"$imagepolicy": "ns:app"}\n'
 */
export function updateText(
  text: string,
  policies: Policies,
  options: UpdateTextOptions = {},
): TextUpdate {
  const checked = checkPolicies(policies);
  const path = options.path ?? '';
  // yaml 2.9 refuses a byte-order mark before a top-level block sequence
  // (`\ufeff- a`), which YAML allows: parse without it and put it back. Lines
  // and columns of the body are already those an editor shows.
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom === '' ? text : text.slice(1);
  const tokens = parseTokens(body);
  const comments = scanComments(tokens);
  if (comments.markers.length === 0) return { text, changes: [], problems: [] };

  const lines = new LineIndex(body);
  const parsed = parseDocuments(body, lines, tokens);
  if (!parsed.ok) {
    const { line, column, message } = parsed;
    const problem: Problem = {
      path,
      line,
      column,
      kind: 'parse-error',
      message: `${path || 'text'}:${line}:${column}: not valid YAML, left untouched: ${message}`,
    };
    return { text, changes: [], problems: [problem] };
  }

  const problems: Problem[] = [];
  const edits: Edit[] = [];
  const objects = new Map<Document.Parsed, ChangedObject | undefined>();
  for (const marker of locateMarkers(body, comments, parsed.documents, lines)) {
    const outcome = planEdit(body, marker, checked, lines, path);
    if (outcome === undefined) continue;
    if ('kind' in outcome) {
      problems.push(outcome);
      continue;
    }
    if (!objects.has(marker.document)) objects.set(marker.document, objectOf(marker.document));
    const object = objects.get(marker.document);
    if (object) outcome.change.object = object;
    edits.push(outcome);
  }
  problems.sort(byPosition);
  if (edits.length === 0) return { text, changes: [], problems };

  const patched = splice(body, edits);
  const failure = verifyPatch(
    parsed.documents,
    patched,
    new Map(edits.map((edit) => [edit.node, edit.newValue])),
  );
  if (failure !== undefined) {
    const { line, column, setter } = edits[0]!.change;
    problems.push({
      path,
      line,
      column,
      kind: 'verify-failed',
      setter,
      message: `${path || 'text'}:${line}:${column}: patch not proven, file left untouched: ${failure}`,
    });
    problems.sort(byPosition);
    return { text, changes: [], problems };
  }
  return { text: bom + patched, changes: edits.map((edit) => edit.change), problems };
}

function planEdit(
  text: string,
  marker: LocatedMarker,
  policies: CheckedPolicies,
  lines: LineIndex,
  path: string,
): Edit | Problem | undefined {
  const { setter, policy, field } = parseSetter(marker.setter);
  const where = path || 'text';
  if (marker.target.kind !== 'scalar') {
    const { line, column } = lines.position(marker.commentOffset);
    return {
      path,
      line,
      column,
      kind: 'not-a-scalar',
      setter,
      message: `${where}:${line}:${column}: marker "${setter}" is on ${marker.target.what}; a marker must be the line comment of a single-line scalar value, or alone on the line above a list item`,
    };
  }
  const { node, style, current, start, end } = marker.target;
  const { line, column } = lines.position(start);
  const ref = policies.get(policy);
  if (ref === undefined) {
    return {
      path,
      line,
      column,
      kind: 'unknown-policy',
      setter,
      message: `${where}:${line}:${column}: marker "${setter}" names policy "${policy}", which is not among the ${policies.size} given policies; value left alone`,
    };
  }
  const newValue = setterValue(ref, field);
  if (newValue === current) return undefined;
  let replacement = renderScalar(newValue, style);
  if (start === end) {
    // An empty value can sit right after its `:` (`{omitted value:, b: 1}`) or
    // right before its comment: keep the blanks that separate them, or the
    // value would join the key or the comment would join the value.
    if (start > 0 && !/[ \t\n]/.test(text[start - 1]!)) replacement = ` ${replacement}`;
    if (text[end] === '#') replacement += ' ';
  }
  return {
    start,
    end,
    replacement,
    node,
    newValue,
    change: { setter, oldValue: current, newValue, line, column },
  };
}

function byPosition(a: Problem, b: Problem): number {
  return a.line - b.line || a.column - b.column;
}

function splice(text: string, edits: readonly Edit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(text.slice(at, edit.start), edit.replacement);
    at = edit.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** apiVersion, kind, metadata.namespace and metadata.name, where the document has them as strings. */
function objectOf(document: Document.Parsed): ChangedObject | undefined {
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const object: ChangedObject = {};
  const read = (map: unknown, key: string): string | undefined => {
    if (!isMap(map)) return undefined;
    const value = map.get(key, true);
    return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
  };
  const apiVersion = read(root, 'apiVersion');
  const kind = read(root, 'kind');
  const metadata = root.get('metadata', true);
  const namespace = read(metadata, 'namespace');
  const name = read(metadata, 'name');
  if (apiVersion !== undefined) object.apiVersion = apiVersion;
  if (kind !== undefined) object.kind = kind;
  if (namespace !== undefined) object.namespace = namespace;
  if (name !== undefined) object.name = name;
  return Object.keys(object).length > 0 ? object : undefined;
}

/**
 * Lists every setter marker in a YAML text with its position, and the current
 * value when it sits on a settable scalar, for linters and editors: line
 * markers, and head markers (alone on the line above the value they mark). A
 * comment alone on its line that marks nothing (above a key, or not directly
 * above a value) is not listed. In a text that does not parse, line markers
 * are still listed, without values; head markers cannot be told apart there.
 */
export function findMarkers(text: string): Marker[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tokens = parseTokens(body);
  const comments = scanComments(tokens);
  if (comments.markers.length === 0) return [];
  const lines = new LineIndex(body);
  const parsed = parseDocuments(body, lines, tokens);
  const toMarker = (
    setter: string,
    offset: number,
    placement: Marker['placement'],
    value: string | undefined,
  ): Marker => {
    const { policy, field } = parseSetter(setter);
    const marker: Marker = { setter, policy, field, placement, ...lines.position(offset) };
    if (value !== undefined) marker.value = value;
    return marker;
  };
  if (!parsed.ok) {
    return comments.markers
      .filter((c) => body.slice(lines.lineStart(c.offset), c.offset).trim() !== '')
      .map((c) => toMarker(c.setter, c.offset, 'line', undefined));
  }
  return locateMarkers(body, comments, parsed.documents, lines).map((m) =>
    toMarker(
      m.setter,
      m.commentOffset,
      m.placement,
      m.target.kind === 'scalar' ? m.target.current : undefined,
    ),
  );
}
