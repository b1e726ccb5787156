import { inspect } from 'node:util';
import { expect } from 'vitest';

/**
 * A secret for tests to hand to the code and then look for in everything it
 * shows: errors, logs, results. Distinctive, so a hit is never a coincidence.
 */
export const SECRET_CANARY = 'hunter2-LEAK-CANARY-7f3a';

/**
 * Asserts that `secret` appears in no form a user could see of `value`: its
 * `message`, `String(value)`, `JSON.stringify(value)`, `util.inspect(value,
 * { depth: 10, showHidden: true })`, and the same for every error on its `cause` chain.
 */
export function expectNoSecret(value: unknown, secret: string = SECRET_CANARY): void {
  const seen = new Set<unknown>();
  for (let current = value; current !== undefined && !seen.has(current); ) {
    seen.add(current);
    for (const text of renderings(current)) expect(text).not.toContain(secret);
    current = current instanceof Error ? current.cause : undefined;
  }
}

function renderings(value: unknown): string[] {
  const texts = [String(value), inspect(value, { depth: 10, showHidden: true })];
  if (value instanceof Error) texts.push(value.message);
  try {
    texts.push(JSON.stringify(value) ?? '');
  } catch {
    // A cyclic value has no JSON form to leak through.
  }
  return texts;
}
