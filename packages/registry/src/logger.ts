/**
 * Where a tagsmith package sends what it does: the one logger shape every
 * tagsmith package accepts, so an orchestrator can hand the same object to all
 * of them (`logger: console` works). Each method is optional; a package calls
 * only the levels it has something for. Lines never contain credentials.
 *
 * The primitives do not import each other, so each package that logs declares
 * this same structural type; structurally identical types are interchangeable
 * in TypeScript.
 */
export interface Logger {
  /** Detail for debugging, e.g. every request: method, redacted URL, status. */
  debug?(message: string): void;
  /** Progress worth seeing in a normal run. */
  info?(message: string): void;
  /** Something recovered from: a retry and the wait before it, a registry quirk worked around. */
  warn?(message: string): void;
  /** Something that failed and was not thrown to the caller. */
  error?(message: string): void;
}
