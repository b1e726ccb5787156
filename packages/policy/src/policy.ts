// compilePolicy: validates a Flux ImagePolicy `.spec` once and returns a Policy
// whose select/explain run the chosen strategy over the (filtered) tags.
import { assertIterable } from './arguments.js';
import { PolicyError } from './errors.js';
import { type CompiledFilter, compileFilter, type TagValueSource } from './filter.js';
import { AlphabeticalSelector, NumericalSelector } from './ordered-policy.js';
import { parseRange } from './range.js';
import { SemverSelector } from './semver-policy.js';
import type { Explanation, ImagePolicySpec, Policy, TagFilter } from './types.js';

interface Selector {
  select(tags: Iterable<string>, filter: TagValueSource | undefined): string | undefined;
  explain(tags: Iterable<string>, filter: CompiledFilter | undefined): Explanation;
}

const STRATEGIES = ['semver', 'alphabetical', 'numerical'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidPolicy(message: string): PolicyError {
  return new PolicyError('INVALID_POLICY', message);
}

// Flux's order field is case-insensitive; missing means ascending.
function descending(strategy: string, options: unknown): boolean {
  if (options !== undefined && options !== null && !isObject(options)) {
    throw invalidPolicy(`spec.policy.${strategy} must be an object, got ${typeof options}`);
  }
  const order = options?.order;
  if (order === undefined) return false;
  if (typeof order === 'string') {
    const lower = order.toLowerCase();
    if (lower === 'asc' || lower === 'desc') return lower === 'desc';
  }
  throw new PolicyError(
    'INVALID_ORDER',
    `spec.policy.${strategy}.order is ${JSON.stringify(order)}; expected "asc" or "desc" (any case)`,
  );
}

function selector(policy: unknown): Selector {
  if (!isObject(policy)) throw invalidPolicy('spec.policy must be an object');
  const chosen = STRATEGIES.filter((name) => policy[name] !== undefined && policy[name] !== null);
  if (chosen.length !== 1) {
    throw invalidPolicy(
      `spec.policy must set exactly one of ${STRATEGIES.join(', ')}; got ${chosen.length === 0 ? 'none' : chosen.join(' and ')}`,
    );
  }
  const name = chosen[0];
  const options = policy[name as string];
  if (name === 'semver') {
    const range = isObject(options) ? options.range : undefined;
    if (typeof range !== 'string') {
      throw invalidPolicy(
        `spec.policy.semver.range must be a string such as ">=1.0.0 <2.0.0", got ${range === null ? 'null' : typeof range}`,
      );
    }
    return new SemverSelector(parseRange(range));
  }
  if (name === 'alphabetical') return new AlphabeticalSelector(descending(name, options));
  return new NumericalSelector(descending('numerical', options));
}

class CompiledPolicy implements Policy {
  constructor(
    readonly spec: ImagePolicySpec,
    private readonly selector: Selector,
    private readonly filter: CompiledFilter | undefined,
  ) {}

  select(tags: Iterable<string>): string | undefined {
    assertIterable(tags, 'tags');
    return this.selector.select(tags, this.filter);
  }

  explain(tags: Iterable<string>): Explanation {
    assertIterable(tags, 'tags');
    return this.selector.explain(tags, this.filter);
  }
}

/**
 * Validates a Flux ImagePolicy `.spec` and compiles it, so that
 * `compilePolicy(yaml.parse(manifest).spec)` works unchanged. Throws
 * `PolicyError` (`INVALID_POLICY`, `INVALID_RANGE`, `INVALID_ORDER`,
 * `INVALID_PATTERN`, `INVALID_FILTER`).
 */
export function compilePolicy(spec: ImagePolicySpec): Policy {
  if (!isObject(spec))
    throw invalidPolicy('spec must be an object (the .spec of a Flux ImagePolicy)');
  const chosen = selector(spec.policy);
  const filter = compileFilter(spec.filterTags as TagFilter | undefined);
  return new CompiledPolicy(spec, chosen, filter);
}

/**
 * Compiles `spec` and selects from `tags` in one call: the winning original
 * tag, or undefined when no candidate is left. Compile once with
 * {@link compilePolicy} when selecting repeatedly.
 */
export function selectTag(tags: Iterable<string>, spec: ImagePolicySpec): string | undefined {
  return compilePolicy(spec).select(tags);
}
