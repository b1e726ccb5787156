// The logger shape every tagsmith package takes; declared here too because the
// primitives share no code, and TypeScript treats identical structures as one type.

/** Where diagnostics go: any object with some of these methods, such as `console`. Never a secret. */
export interface Logger {
  /** Each request and git command (passed on to the primitives). */
  debug?(message: string): void;
  /** Each phase of a cycle and its outcome. */
  info?(message: string): void;
  /** A repository, policy or automation that failed; the cycle goes on. */
  warn?(message: string): void;
  /** Failures that end the cycle. */
  error?(message: string): void;
}
