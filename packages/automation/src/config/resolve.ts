// Follows the references between the records read from every file: policies to
// their image repositories, automations to their GitRepository and to the
// policies of their namespace (narrowed by policySelector), applying
// tagsmith.yaml's overrides on the way. An object whose reference is broken is
// left out with an error; Kubernetes-only secret references no override maps are
// warnings.

import { parseCommitTemplate } from '../commit-template.js';
import type {
  ConfigProblem,
  GitSourceConfig,
  ImagePolicyConfig,
  ImageRepositoryConfig,
  SourceLocation,
  UpdateAutomationConfig,
} from '../config-types.js';
import { AutomationError } from '../errors.js';
import type {
  AutomationRecord,
  Catalog,
  GitRepositoryRecord,
  RepositoryRecord,
} from './records.js';
import { matchesSelector, selectorProblem } from './selector.js';
import { type Overrides, pullRequestProblem } from './tagsmith.js';

/** The resolved objects; problems are appended to the catalog's. */
export interface Resolved {
  imageRepositories: ImageRepositoryConfig[];
  imagePolicies: ImagePolicyConfig[];
  automations: UpdateAutomationConfig[];
}

const key = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;
const where = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;

/** Resolves `catalog`'s records into configs, with `overrides` applied. */
export function resolveCatalog(catalog: Catalog, overrides: Overrides): Resolved {
  const problems = catalog.problems;
  const error = (kind: ConfigProblem['kind'], message: string, location: SourceLocation) =>
    problems.push({ severity: 'error', kind, message, location });
  const warn = (kind: ConfigProblem['kind'], message: string, location: SourceLocation) =>
    problems.push({ severity: 'warning', kind, message, location });

  const repositories = unique('ImageRepository', catalog.repositories, (r) => r.config, problems);
  const policies = unique('ImagePolicy', catalog.policies, (r) => r.config, problems);
  const gitRepositories = unique('GitRepository', catalog.gitRepositories, (r) => r, problems);
  const automations = unique(
    'ImageUpdateAutomation',
    catalog.automations,
    (r) => r.config,
    problems,
  );

  for (const [section, map, known] of [
    ['imageRepositories', overrides.imageRepositories, repositories],
    ['gitRepositories', overrides.gitRepositories, gitRepositories],
    ['imagePolicies', overrides.imagePolicies, policies],
    ['automations', overrides.automations, automations],
  ] as const) {
    for (const [name, { location }] of map) {
      const target = (known as Map<string, { fromManifest?: boolean }>).get(name);
      if (target === undefined || target.fromManifest === false) {
        warn(
          'unknown-reference',
          `overrides.${section} names ${name}, which no manifest defines; the override is unused`,
          location,
        );
      }
    }
  }

  const imageRepositories = new Map<string, ImageRepositoryConfig>();
  const suspended = new Set<string>();
  for (const [id, record] of repositories) {
    if (record.suspended !== undefined) {
      suspended.add(`ImageRepository ${id}`);
      continue;
    }
    imageRepositories.set(id, repositoryConfig(record, overrides, warn));
  }

  const imagePolicies = new Map<string, ImagePolicyConfig>();
  for (const [id, record] of policies) {
    if (record.suspended !== undefined) continue;
    const ref = key(record.imageRepositoryRef);
    if (suspended.has(`ImageRepository ${ref}`)) {
      warn(
        'unknown-reference',
        `ImagePolicy ${id} is skipped: its ImageRepository ${ref} is suspended`,
        record.imageRepositoryRef.location,
      );
      continue;
    }
    if (!imageRepositories.has(ref)) {
      error(
        'unknown-reference',
        `ImagePolicy ${id} names the ImageRepository ${ref}, which is not defined (or did not load); the policy is left out`,
        record.imageRepositoryRef.location,
      );
      continue;
    }
    const allowDowngrade = overrides.imagePolicies.get(id)?.value.allowDowngrade;
    imagePolicies.set(id, {
      ...record.config,
      ...(allowDowngrade === undefined ? {} : { allowDowngrade }),
    });
  }

  const warnedSecrets = new Set<string>();
  const result: UpdateAutomationConfig[] = [];
  for (const [id, record] of automations) {
    if (record.suspended !== undefined) continue;
    const config = automationConfig(id, record);
    if (config !== undefined) result.push(config);
  }

  return {
    imageRepositories: sortById([...imageRepositories.values()]),
    imagePolicies: sortById([...imagePolicies.values()]),
    automations: sortById(result),
  };

  function automationConfig(
    id: string,
    record: AutomationRecord,
  ): UpdateAutomationConfig | undefined {
    const override = overrides.automations.get(id)?.value;
    const checked = sourceOf(id, record);
    if (checked === undefined) return undefined;
    const { source, checkout } = checked;
    const pullRequest = override?.pullRequest ?? record.config.pullRequest;
    if (pullRequest !== undefined && source.kind !== 'github') {
      problems.push(
        pullRequestProblem(overrides.automations.get(id)?.location ?? record.config.location),
      );
      return undefined;
    }
    const selector = record.config.policySelector;
    const bad = selector === undefined ? undefined : selectorProblem(selector);
    if (bad !== undefined) {
      error('schema', `policySelector of ${id}: ${bad}`, record.config.location);
      return undefined;
    }
    const selected = policiesOf(id, record);
    if (selected === undefined) return undefined;
    if (!templateLoads(id, record)) return undefined;
    let signingKey = override?.signingKey ?? record.config.signingKey;
    if (signingKey === undefined && record.signingSecret !== undefined) {
      warn(
        'not-supported',
        `${record.signingSecret.field} (Secret ${record.signingSecret.secret}) is Kubernetes-only: commits are not signed; give overrides.automations["${id}"].signingKey`,
        record.signingSecret.location,
      );
      signingKey = undefined;
    }
    const { signingKey: _ignored, pullRequest: _pr, ...fields } = record.config;
    return {
      ...fields,
      source,
      checkout,
      ...(signingKey === undefined ? {} : { signingKey }),
      ...(pullRequest === undefined ? {} : { pullRequest }),
      policies: selected,
      allowDowngrade: override?.allowDowngrade ?? record.config.allowDowngrade,
    };
  }

  /** Parses the message template now, so a broken one fails before any cycle (Flux finds out at the first update). */
  function templateLoads(id: string, record: AutomationRecord): boolean {
    const location = record.templateLocation ?? record.config.location;
    try {
      const template = parseCommitTemplate(record.config.messageTemplate, {
        apiVersion: record.config.apiVersion,
      });
      if (template.usesUpdated) {
        warn(
          'deprecated',
          `messageTemplate of ${id} uses .Updated, which ${record.config.apiVersion} still renders; Flux's v1 API removed it: use .Changed`,
          location,
        );
      }
      return true;
    } catch (thrown) {
      if (!(thrown instanceof AutomationError) || thrown.code !== 'TEMPLATE_PARSE') throw thrown;
      const at =
        thrown.line === undefined
          ? ''
          : ` (template line ${thrown.line}, column ${thrown.column ?? 1})`;
      error(
        'template',
        `messageTemplate of ${id} does not parse${at}: ${thrown.message}; the automation is left out`,
        location,
      );
      return false;
    }
  }

  function sourceOf(id: string, record: AutomationRecord) {
    if (record.source !== undefined)
      return { source: record.source, checkout: record.checkout ?? {} };
    const ref = record.sourceRef;
    if (ref === undefined) return undefined;
    const gitRepository = gitRepositories.get(key(ref));
    if (gitRepository === undefined) {
      error(
        'unknown-reference',
        `ImageUpdateAutomation ${id} names the GitRepository ${key(ref)}, which is not defined (or did not load); the automation is left out`,
        ref.location,
      );
      return undefined;
    }
    const source = gitSourceOf(gitRepository);
    if (source === undefined) return undefined;
    // Flux: the automation's checkout ref replaces the GitRepository's.
    return { source, checkout: record.checkout ?? gitRepository.checkout };
  }

  function gitSourceOf(record: GitRepositoryRecord): GitSourceConfig | undefined {
    const id = key(record);
    const override = overrides.gitRepositories.get(id)?.value;
    const base = override?.source ?? record.source;
    if ('error' in base) {
      error('schema', base.error, base.location);
      return undefined;
    }
    let source: GitSourceConfig = base;
    if (source.kind === 'url' && override?.credentials !== undefined)
      source = { ...source, credentials: override.credentials };
    if (source.kind === 'github' && override?.token !== undefined)
      source = { ...source, token: override.token };
    const mapped = override?.credentials !== undefined || override?.token !== undefined;
    if (record.secretRef !== undefined && !mapped && !warnedSecrets.has(id)) {
      warnedSecrets.add(id);
      warn(
        'not-supported',
        `GitRepository ${id}: ${record.secretRef.field} (Secret ${record.secretRef.secret}) is Kubernetes-only: git uses no credentials; give overrides.gitRepositories["${id}"].credentials`,
        record.secretRef.location,
      );
    }
    return source;
  }

  function policiesOf(id: string, record: AutomationRecord): string[] | undefined {
    const keys: string[] = [];
    if (record.policyList !== undefined) {
      for (const ref of record.policyList.refs) {
        if (!imagePolicies.has(key(ref))) {
          error(
            'unknown-reference',
            `automation ${id} names the ImagePolicy ${key(ref)}, which is not defined (or did not load); the automation is left out`,
            ref.location,
          );
          return undefined;
        }
        keys.push(`${ref.namespace}:${ref.name}`);
      }
    } else {
      const selector = record.config.policySelector;
      for (const policy of imagePolicies.values()) {
        if (policy.namespace !== record.config.namespace) continue;
        if (selector !== undefined && !matchesSelector(selector, policy.labels)) continue;
        keys.push(`${policy.namespace}:${policy.name}`);
      }
    }
    return [...new Set(keys)].sort();
  }
}

function repositoryConfig(
  record: RepositoryRecord,
  overrides: Overrides,
  warn: (kind: ConfigProblem['kind'], message: string, location: SourceLocation) => void,
): ImageRepositoryConfig {
  const id = key(record.config);
  const override = overrides.imageRepositories.get(id)?.value;
  const config = { ...record.config, ...override };
  if (record.secretRef !== undefined && override?.credentials === undefined) {
    warn(
      'not-supported',
      `ImageRepository ${id}: ${record.secretRef.field} (Secret ${record.secretRef.secret}) is Kubernetes-only: registry credentials come from the docker config; give overrides.imageRepositories["${id}"].credentials to choose them`,
      record.secretRef.location,
    );
  }
  return config;
}

/** Keeps the first object of each `namespace/name`; a later one is a `duplicate` error. */
function unique<R>(
  kind: string,
  records: readonly R[],
  identity: (record: R) => { namespace: string; name: string; location: SourceLocation },
  problems: ConfigProblem[],
): Map<string, R> {
  const byId = new Map<string, R>();
  for (const record of records) {
    const id = identity(record);
    const first = byId.get(key(id));
    if (first !== undefined) {
      problems.push({
        severity: 'error',
        kind: 'duplicate',
        message: `${kind} ${key(id)} is defined again (first at ${where(identity(first).location)}); this one is left out`,
        location: id.location,
      });
      continue;
    }
    byId.set(key(id), record);
  }
  return byId;
}

function sortById<T extends { namespace: string; name: string }>(items: T[]): T[] {
  return items.sort((a, b) =>
    a.namespace === b.namespace
      ? a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0
      : a.namespace < b.namespace
        ? -1
        : 1,
  );
}
