// Phases 3 and 5 for one automation: which ref each of its policies writes. The values
// the files hold now come from a dry run of the setters with the chosen refs (every
// marker whose value differs shows up as a change with its old value), so the same
// walk, file selection and marker rules decide what "the files hold" as decide what
// gets written. That pass runs only when a policy needs it: digests `IfNotPresent`,
// or `allowDowngrade: false`.

import { parseReference, type RegistryClient } from '@tagsmith/registry';
import type { ImageRef } from '@tagsmith/setters';
import { updateTree } from '@tagsmith/setters';
import type { Choice } from './choose.js';
import type { ImagePolicyConfig, UpdateAutomationConfig } from './config-types.js';
import { reportError } from './report-error.js';
import type { AutomationPolicyReport } from './run-types.js';
import { signalOption } from './scan.js';

/** What deciding the refs needs from the cycle. */
export interface RefsContext {
  choices: ReadonlyMap<string, Choice>;
  policyConfigs: ReadonlyMap<string, ImagePolicyConfig>;
  /** Registry clients by image repository key (`namespace/name`), from the listing. */
  clients: ReadonlyMap<string, RegistryClient>;
  /** Digests already resolved this cycle, by `image:tag`, shared by automations and retries. */
  digests: Map<string, Promise<string>>;
  signal: AbortSignal | undefined;
}

/** The refs to write and what was decided per policy. */
export interface RefPlan {
  refs: Record<string, ImageRef>;
  decisions: AutomationPolicyReport[];
}

/** A marker's policy key and field, read from its setter text. */
export function parseSetter(
  setter: string,
  known: ReadonlySet<string>,
): { policy: string; field: 'ref' | 'tag' | 'name' | 'digest' } | undefined {
  if (known.has(setter)) return { policy: setter, field: 'ref' };
  const colon = setter.lastIndexOf(':');
  const field = setter.slice(colon + 1);
  const policy = setter.slice(0, colon);
  if (
    colon > 0 &&
    (field === 'tag' || field === 'name' || field === 'digest') &&
    known.has(policy)
  ) {
    return { policy, field };
  }
  return undefined;
}

/** The tag and digest a marked value holds, for the fields that hold them. */
export function readValue(
  field: 'ref' | 'tag' | 'name' | 'digest',
  value: string,
): { tag?: string; digest?: string } {
  if (field === 'tag') return value === '' ? {} : { tag: value };
  if (field === 'digest') return value === '' ? {} : { digest: value };
  if (field === 'ref' && value !== '') {
    try {
      const reference = parseReference(value);
      return {
        ...(reference.tag === undefined ? {} : { tag: reference.tag }),
        ...(reference.digest === undefined ? {} : { digest: reference.digest }),
      };
    } catch {
      return {};
    }
  }
  return {};
}

/** `name:tag`, plus `@digest`, as a `ref` marker writes it. */
export function formatRef(ref: ImageRef): string {
  return `${ref.name}:${ref.tag}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Decides the ref of each of `automation`'s policies over the files under `dir`. */
export async function planRefs(
  dir: string,
  automation: UpdateAutomationConfig,
  context: RefsContext,
): Promise<RefPlan> {
  const candidates = new Map<
    string,
    { choice: Choice; config: ImagePolicyConfig; ref: ImageRef }
  >();
  const decisions = new Map<string, AutomationPolicyReport>();
  for (const key of automation.policies) {
    const choice = context.choices.get(key);
    const config = context.policyConfigs.get(key);
    const chosen = choice?.report.chosen;
    if (choice === undefined || config === undefined || chosen === undefined) {
      decisions.set(key, { policy: key, previous: [], decision: 'unavailable' });
    } else {
      candidates.set(key, { choice, config, ref: { name: chosen.name, tag: chosen.tag } });
    }
  }

  const allowDowngrade = (config: ImagePolicyConfig) =>
    config.allowDowngrade ?? automation.allowDowngrade;
  const needsCurrent = [...candidates.values()].some(
    ({ config }) => config.digestReflectionPolicy === 'IfNotPresent' || !allowDowngrade(config),
  );
  const current = needsCurrent
    ? await currentValues(dir, automation, candidates, context)
    : new Map<string, Current>();

  const refs: Record<string, ImageRef> = {};
  for (const [key, { choice, config, ref }] of candidates) {
    const now = current.get(key) ?? { tags: new Set(), digests: new Set(), values: new Set() };
    const previous = [...now.values].sort();
    if (!allowDowngrade(config) && choice.policy !== undefined) {
      const policy = choice.policy;
      const above = [...now.tags].find((tag) => tag !== ref.tag && outranks(policy, tag, ref.tag));
      if (above !== undefined) {
        decisions.set(key, { policy: key, previous, decision: 'kept-downgrade', keptTag: above });
        continue;
      }
    }
    try {
      const digest = await digestFor(config, choice, ref, now, context);
      const final = digest === undefined ? ref : { ...ref, digest };
      refs[key] = final;
      decisions.set(key, { policy: key, previous, chosen: formatRef(final), decision: 'applied' });
    } catch (error) {
      if (context.signal?.aborted) throw error;
      decisions.set(key, { policy: key, previous, decision: 'failed', error: reportError(error) });
    }
  }
  return { refs, decisions: automation.policies.map((key) => decisions.get(key)!) };
}

interface Current {
  tags: Set<string>;
  digests: Set<string>;
  values: Set<string>;
}

/** The tags, digests and raw values the files hold where they differ from the chosen refs. */
async function currentValues(
  dir: string,
  automation: UpdateAutomationConfig,
  candidates: ReadonlyMap<string, { ref: ImageRef }>,
  context: RefsContext,
): Promise<Map<string, Current>> {
  const refs: Record<string, ImageRef> = {};
  for (const [key, { ref }] of candidates) refs[key] = ref;
  const preview = await updateTree(dir, refs, {
    path: automation.updatePath,
    dryRun: true,
    ...signalOption(context.signal),
  });
  const known = new Set(candidates.keys());
  const current = new Map<string, Current>();
  for (const file of preview.files) {
    for (const change of file.changes) {
      const marker = parseSetter(change.setter, known);
      if (marker === undefined) continue;
      let entry = current.get(marker.policy);
      if (entry === undefined) {
        entry = { tags: new Set(), digests: new Set(), values: new Set() };
        current.set(marker.policy, entry);
      }
      entry.values.add(change.oldValue);
      const value = readValue(marker.field, change.oldValue);
      if (value.tag !== undefined) entry.tags.add(value.tag);
      if (value.digest !== undefined) entry.digests.add(value.digest);
    }
  }
  return current;
}

/** Whether the policy ranks `current` above `chosen` (it would pick `current` of the two). */
function outranks(policy: NonNullable<Choice['policy']>, current: string, chosen: string): boolean {
  try {
    return policy.select([current, chosen]) === current;
  } catch {
    // A numerical policy refuses a non-numeric current tag: it cannot rank it at all.
    return false;
  }
}

/**
 * The digest to write, per `digestReflectionPolicy`: none for `Never`; resolved for
 * `Always`; for `IfNotPresent`, the one in the files when the tag does not change and
 * the files agree on one, else resolved.
 */
async function digestFor(
  config: ImagePolicyConfig,
  choice: Choice,
  ref: ImageRef,
  now: Current,
  context: RefsContext,
): Promise<string | undefined> {
  if (config.digestReflectionPolicy === 'Never') return undefined;
  if (config.digestReflectionPolicy === 'IfNotPresent') {
    const tagChanges = [...now.tags].some((tag) => tag !== ref.tag);
    const [only, ...others] = now.digests;
    if (!tagChanges && only !== undefined && others.length === 0) return only;
  }
  const repositoryKey = choice.report.repository;
  const client = context.clients.get(repositoryKey);
  const reference = `${ref.name}:${ref.tag}`;
  let pending = context.digests.get(reference);
  if (pending === undefined && client !== undefined) {
    pending = client.resolveDigest(reference, signalOption(context.signal));
    context.digests.set(reference, pending);
  }
  if (pending === undefined) return undefined;
  return await pending;
}
