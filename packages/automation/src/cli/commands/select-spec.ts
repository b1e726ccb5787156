// Turns `select`'s flags into the spec a Flux ImagePolicy holds under `spec:`, so the
// command picks exactly what the controller (and @tagsmith/policy's compilePolicy) would.

import type { ImagePolicySpec } from '@tagsmith/policy';
import { UsageError } from '../exit-codes.js';
import type { SelectCommandOptions } from './select.js';

/**
 * The ImagePolicy spec for `options`: one strategy, and `filterTags` when `--pattern`
 * or `--extract` is given. A bare `--alphabetical` or `--numerical` is ascending.
 *
 * @throws UsageError when none of `--semver`, `--alphabetical`, `--numerical` is given
 *   (commander already refuses two of them).
 */
export function policySpec(options: SelectCommandOptions): ImagePolicySpec {
  const order = (value: 'asc' | 'desc' | true) => (value === true ? 'asc' : value);
  let spec: ImagePolicySpec;
  if (options.semver !== undefined) spec = { policy: { semver: { range: options.semver } } };
  else if (options.alphabetical !== undefined)
    spec = { policy: { alphabetical: { order: order(options.alphabetical) } } };
  else if (options.numerical !== undefined)
    spec = { policy: { numerical: { order: order(options.numerical) } } };
  else {
    throw new UsageError(
      'select needs one of --semver <range>, --alphabetical [asc|desc] or --numerical [asc|desc]',
    );
  }
  if (options.pattern !== undefined || options.extract !== undefined) {
    spec.filterTags = {};
    if (options.pattern !== undefined) spec.filterTags.pattern = options.pattern;
    if (options.extract !== undefined) spec.filterTags.extract = options.extract;
  }
  return spec;
}
