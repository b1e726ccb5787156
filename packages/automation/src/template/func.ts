/**
 * How a template function is described to the engine: the Go types of its
 * parameters (which decide how constants and values are converted and which
 * "wrong type" errors Go gives) and its body. A body throws {@link FuncError}
 * (or anything) for Go's `error` result or a panic; the engine reports it as
 * `error calling NAME: MESSAGE`, as Go does.
 */
import type { GoValue } from './values.js';

/**
 * A parameter's Go type: `any` is `interface{}`, `value` is `reflect.Value`
 * (receives undefined/nil unchanged), `int`, `float` (`float64`), `string`,
 * `bool`, `slice` (`[]interface{}`), `map` (`map[string]interface{}`).
 */
export type ParamType = 'any' | 'value' | 'int' | 'float' | 'string' | 'bool' | 'slice' | 'map';

/** A template function. */
export interface TemplateFunc {
  /** The fixed parameters' types. */
  readonly params: readonly ParamType[];
  /** The type of the variadic tail, if the function is variadic. */
  readonly variadic?: ParamType;
  /** The body. */
  readonly fn: (...args: GoValue[]) => GoValue;
}

/** A function map: name → function. */
export type FuncMap = Readonly<Record<string, TemplateFunc>>;

/** The error a template function returns (Go's `error` result). */
export class FuncError extends Error {}

/** Shorthand to define a {@link TemplateFunc}. */
export function fn(
  params: readonly ParamType[],
  body: (...args: GoValue[]) => GoValue,
  variadic?: ParamType,
): TemplateFunc {
  return variadic === undefined ? { params, fn: body } : { params, variadic, fn: body };
}
