// Why this exists: V8 forgets the object shapes ("maps") that yaml's parser,
// composer and nodes take on as they gain properties once no object of that
// shape is alive at a full garbage collection, and every piece of optimized
// code that assumed those shapes is thrown away with them (`--trace-deopt`:
// "weak objects"). A long-lived process that updates trees now and then (a
// controller reconciling every few minutes, the benchmark's runs after a
// forced GC) would then re-learn yaml from the interpreter on each call: 100
// marked files took 4x as long as with the code kept. Keeping the last parse
// of each kind alive keeps its shapes, and so the code, for the next file and
// the next call. Memory: one file's parse per kind, within the bound of the
// largest file.

const held = new Map<string, unknown>();

/**
 * Keeps `value` reachable until the next call with the same `kind`, so the
 * shapes of its objects survive garbage collections between files and calls.
 */
export function keepShapesOf(kind: string, value: unknown): void {
  held.set(kind, value);
}
