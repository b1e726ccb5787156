/**
 * The sprig functions Flux gives commit templates (`sprig.HermeticTxtFuncMap()`),
 * in Go's signatures so argument errors match.
 */
import { sprint } from './format.js';
import { type FuncMap, fn } from './func.js';
import type { GoValue } from './values.js';

const str = (v: GoValue): string =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : sprint([v]);

/** Sprig's hermetic functions, by name. */
export const SPRIG: FuncMap = {
  lower: fn(['string'], (s) => (s as string).toLowerCase()),
  upper: fn(['string'], (s) => (s as string).toUpperCase()),
  contains: fn(['string', 'string'], (sub, s) => (s as string).includes(sub as string)),
  toString: fn(['any'], (v) => str(v)),
};
