// Why this exists: V8 forgets the object shapes ("maps") that yaml's parser,
// composer and nodes take on as they gain properties once no object of that
// shape is alive at a full garbage collection, and every piece of optimized
// code that assumed those shapes is thrown away with them (`--trace-deopt`:
// "weak objects"). A long-lived process that updates trees now and then (a
// controller reconciling every few minutes, the benchmark's runs after a
// forced GC) would then re-learn yaml from the interpreter on each call: 100
// marked files took 4x as long as with the code kept. Keeping the last parse
// of each kind alive keeps its shapes, and so the code, for the next file and
// the next call. Memory: only parses of texts up to MAX_HELD_CHARS are kept
// (a small file teaches the same shapes as a large one), so what stays
// reachable after a call is a few hundred KiB at most, whatever the tree held.

/** Texts longer than this are never held: their parse could be large. */
export const MAX_HELD_CHARS = 64 * 1024;

const held = new Map<string, unknown>();

/**
 * Keeps `value`, the parse of a text of `textLength` characters, reachable
 * until the next call with the same `kind`, so the shapes of its objects
 * survive garbage collections between files and calls. A parse of a longer
 * text than {@link MAX_HELD_CHARS} is not kept; the last small one stays.
 */
export function keepShapesOf(kind: string, value: unknown, textLength: number): void {
  if (textLength <= MAX_HELD_CHARS) held.set(kind, value);
}

/** Whether `value` is what is held for `kind`. Internal; for tests. */
export function isHeld(kind: string, value: unknown): boolean {
  return held.get(kind) === value;
}
