export type { PolicyErrorCode, PolicyErrorDetails } from './errors.js';
export { PolicyError } from './errors.js';
export { DEFAULT_EXCLUSIONS, excludeTags } from './exclude.js';
export { compilePolicy, selectTag } from './policy.js';
export type {
  Explanation,
  ImagePolicySpec,
  Policy,
  PolicyChoice,
  PolicyOrder,
  TagExplanation,
  TagExplanationKind,
  TagFilter,
} from './types.js';
