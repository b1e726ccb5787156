// Errors of any package as the report shows them: the code and the message, which the
// primitives already keep free of secrets. Anything without a code is INTERNAL.

import type { ReportError } from './run-types.js';

/** `{ code, message }` of a thrown value. */
export function reportError(error: unknown): ReportError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}
