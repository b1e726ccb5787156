// Phase 2: each policy's choice over its repository's tags, after the repository's
// exclusionList, with the policy's own explanation of why that tag won.

import { compilePolicy, excludeTags, type Policy, type TagExplanationKind } from '@tagsmith/policy';
import type { ImagePolicyConfig, ImageRepositoryConfig } from './config-types.js';
import { reportError } from './report-error.js';
import type { PolicyReport } from './run-types.js';
import { repositoryKey } from './scan.js';

/** A policy's outcome: the report entry, and the compiled policy for the downgrade check. */
export interface Choice {
  report: PolicyReport;
  /** The compiled policy, when it compiled. */
  policy?: Policy;
  /** The image name markers get (`spec.image`, verbatim, as Flux writes `latestRef.name`). */
  image?: string;
}

/** `namespace:name`, the key setter markers use. */
export function policyKey(policy: { namespace: string; name: string }): string {
  return `${policy.namespace}:${policy.name}`;
}

/** Applies one policy to its repository's listing (absent when the listing failed). */
export function choose(
  config: ImagePolicyConfig,
  repository: ImageRepositoryConfig | undefined,
  tags: readonly string[] | undefined,
  listingError: { code: string; message: string } | undefined,
): Choice {
  const key = policyKey(config);
  const repositoryName = repositoryKey(config.imageRepository);
  const failed = (error: { code: string; message: string }, reason: string): Choice => ({
    report: {
      policy: key,
      repository: repositoryName,
      status: 'failed',
      reason,
      summary: reason,
      tagKinds: {},
      excluded: 0,
      error,
    },
  });
  if (repository === undefined || tags === undefined) {
    const error = listingError ?? {
      code: 'INVALID_CONFIG',
      message: `image repository ${repositoryName} is not in the config`,
    };
    return failed(error, `no tags: listing ${repositoryName} failed (${error.code})`);
  }
  let policy: Policy;
  let kept: string[];
  try {
    policy = compilePolicy(config.spec);
    kept = excludeTags(tags, repository.exclusionList);
  } catch (error) {
    const reported = reportError(error);
    return failed(reported, `the policy cannot be used (${reported.code})`);
  }
  const explanation = policy.explain(kept);
  const tagKinds: Partial<Record<TagExplanationKind, number>> = {};
  for (const entry of explanation.tags) tagKinds[entry.kind] = (tagKinds[entry.kind] ?? 0) + 1;
  const excluded = tags.length - kept.length;
  const selected = explanation.selected;
  if (selected === undefined) {
    const report: PolicyReport = {
      policy: key,
      repository: repositoryName,
      status: explanation.error === undefined ? 'no-candidate' : 'failed',
      reason: explanation.summary,
      summary: explanation.summary,
      tagKinds,
      excluded,
    };
    if (explanation.error !== undefined) report.error = reportError(explanation.error);
    return { report, policy };
  }
  const winner = explanation.tags.find((entry) => entry.tag === selected);
  return {
    report: {
      policy: key,
      repository: repositoryName,
      status: 'chosen',
      chosen: { name: repository.image, tag: selected },
      reason: winner?.reason ?? explanation.summary,
      summary: explanation.summary,
      tagKinds,
      excluded,
    },
    policy,
    image: repository.image,
  };
}
