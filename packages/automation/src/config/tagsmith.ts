// Reads a tagsmith.yaml: validates it against its schema, drops only the entries
// a problem is in (one bad automation does not hide the others), and turns the
// rest into catalog records, hosts, the docker config and the overrides of Flux
// objects read from `manifests`.
import { dirname, join, resolve } from 'node:path';
import type { RegistryHost } from '@tagsmith/registry';
import type {
  CredentialReference,
  GitCredentialsReference,
  GitSourceConfig,
  SourceLocation,
  UpdateAutomationConfig,
} from '../config-types.js';
import { credentialReference, gitCredentials } from './credentials.js';
import {
  DEFAULT_EXCLUSION_LIST,
  DEFAULT_MESSAGE_TEMPLATE,
  exclusionProblem,
  normalizeUpdatePath,
  policyProblem,
  policySpec,
} from './flux.js';
import { githubSource, localSource, sourceFromUrl } from './git-source.js';
import type { Catalog, ObjectRef } from './records.js';
import { type PathProblem, schemaPathProblems } from './schema-problems.js';
import { type GitSourceText, TAGSMITH_CONFIG, type TagsmithConfigFile } from './tagsmith-schema.js';
import type { YamlDocument } from './yaml-file.js';

/** `apiVersion` of automations written in tagsmith.yaml. */
export const TAGSMITH_API_VERSION = 'tagsmith.dev/v1';

/** A tagsmith.yaml override of one Flux object, with where it was written. */
export interface Override<T> {
  readonly value: T;
  readonly location: SourceLocation;
}

/** The overrides of Flux objects, keyed `namespace/name`. */
export interface Overrides {
  readonly imageRepositories: Map<
    string,
    Override<{ credentials?: CredentialReference; insecure?: boolean }>
  >;
  readonly gitRepositories: Map<
    string,
    Override<{
      source?: GitSourceConfig;
      credentials?: GitCredentialsReference;
      token?: CredentialReference;
    }>
  >;
  readonly imagePolicies: Map<string, Override<{ allowDowngrade?: boolean }>>;
  readonly automations: Map<
    string,
    Override<
      Pick<UpdateAutomationConfig, 'signingKey' | 'pullRequest'> & { allowDowngrade?: boolean }
    >
  >;
}

/** What a tagsmith.yaml contributes besides its records. */
export interface TagsmithSettings {
  readonly hosts: Record<string, RegistryHost>;
  readonly dockerConfig?: string;
  /** `manifests` entries, as display paths (joined to the config's directory as given) and where written. */
  readonly manifests: { path: string; location: SourceLocation }[];
  readonly overrides: Overrides;
}

/** Whether a document is a tagsmith.yaml (`apiVersion: tagsmith.dev/v1`). */
export function isTagsmithDocument(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { apiVersion?: unknown }).apiVersion === TAGSMITH_API_VERSION
  );
}

/**
 * Reads the tagsmith.yaml document `doc` of `file` (a display path; `absoluteDir`
 * is its directory on disk) into `catalog`.
 */
export function readTagsmithDocument(
  doc: YamlDocument,
  file: string,
  absoluteDir: string,
  catalog: Catalog,
): TagsmithSettings {
  const settings: TagsmithSettings = {
    hosts: {},
    manifests: [],
    overrides: {
      imageRepositories: new Map(),
      gitRepositories: new Map(),
      imagePolicies: new Map(),
      automations: new Map(),
    },
  };
  const problems = schemaPathProblems(TAGSMITH_CONFIG, doc.value, doc);
  catalog.problems.push(...problems.map((p) => p.problem));
  const broken = brokenEntries(problems);
  if (broken.has('')) return settings;
  const keep = (path: string) =>
    ![...broken].some((entry) => path === entry || path.startsWith(`${entry}/`));
  // A section that is broken as a whole (a list that is not a list) is not read at all.
  const config = Object.fromEntries(
    Object.entries(doc.value as TagsmithConfigFile).filter(([key]) => keep(`/${escapeKey(key)}`)),
  ) as TagsmithConfigFile;

  for (const [name, host] of Object.entries(config.hosts ?? {})) {
    if (keep(`/hosts/${escapeKey(name)}`))
      settings.hosts[name] = { endpoint: typeof host === 'string' ? host : host.endpoint };
  }
  if (config.dockerConfig !== undefined && keep('/dockerConfig'))
    (settings as { dockerConfig?: string }).dockerConfig = resolve(
      absoluteDir,
      config.dockerConfig,
    );
  for (const [index, entry] of (config.manifests ?? []).entries()) {
    if (!keep(`/manifests/${index}`)) continue;
    settings.manifests.push({
      path: join(dirname(file), entry),
      location: doc.locate(['manifests', index]),
    });
  }
  readOverrides(config, doc, absoluteDir, keep, settings.overrides, catalog);

  for (const [index, repo] of (config.imageRepositories ?? []).entries()) {
    if (!keep(`/imageRepositories/${index}`)) continue;
    const badPattern = exclusionProblem(repo.exclusionList);
    if (badPattern !== undefined) {
      catalog.problems.push({
        severity: 'error',
        kind: 'schema',
        message: badPattern.message,
        location: doc.locate(['imageRepositories', index, 'exclusionList', badPattern.index]),
      });
      continue;
    }
    catalog.repositories.push({
      config: {
        namespace: repo.namespace ?? 'default',
        name: repo.name,
        image: repo.image,
        exclusionList: repo.exclusionList?.length
          ? [...repo.exclusionList]
          : [...DEFAULT_EXCLUSION_LIST],
        insecure: repo.insecure ?? false,
        ...(repo.credentials === undefined
          ? {}
          : { credentials: credentialReference(repo.credentials, absoluteDir) }),
        location: doc.locate(['imageRepositories', index]),
      },
      fromManifest: false,
    });
  }

  for (const [index, policy] of (config.imagePolicies ?? []).entries()) {
    if (!keep(`/imagePolicies/${index}`)) continue;
    const spec = policySpec(policy.policy, policy.filterTags);
    const problem = policyProblem(spec);
    if (problem !== undefined) {
      catalog.problems.push({
        severity: 'error',
        kind: 'schema',
        message: problem.replace(/^spec\.policy/, `imagePolicies[${index}].policy`),
        location: doc.locate(['imagePolicies', index, 'policy']),
      });
      continue;
    }
    const namespace = policy.namespace ?? 'default';
    const ref =
      typeof policy.imageRepository === 'string'
        ? { name: policy.imageRepository }
        : policy.imageRepository;
    const imageRepository = { namespace: ref.namespace ?? namespace, name: ref.name };
    catalog.policies.push({
      config: {
        namespace,
        name: policy.name,
        labels: { ...policy.labels },
        imageRepository,
        spec,
        digestReflectionPolicy: policy.digestReflectionPolicy ?? 'Never',
        ...(policy.allowDowngrade === undefined ? {} : { allowDowngrade: policy.allowDowngrade }),
        location: doc.locate(['imagePolicies', index]),
      },
      imageRepositoryRef: {
        ...imageRepository,
        location: doc.locate(['imagePolicies', index, 'imageRepository']),
      },
      fromManifest: false,
    });
  }

  for (const [index, automation] of (config.automations ?? []).entries()) {
    if (!keep(`/automations/${index}`)) continue;
    const at = (...path: (string | number)[]) => doc.locate(['automations', index, ...path]);
    const source = gitSource(automation.git, absoluteDir);
    const updatePath = normalizeUpdatePath(automation.updatePath);
    if ('error' in source || updatePath === undefined) {
      catalog.problems.push({
        severity: 'error',
        kind: 'schema',
        message:
          'error' in source
            ? `automations[${index}].git: ${source.error}`
            : `automations[${index}].updatePath ${JSON.stringify(automation.updatePath)} leaves the repository; expected a relative path inside it`,
        location: 'error' in source ? at('git') : at('updatePath'),
      });
      continue;
    }
    if (automation.pullRequest !== undefined && source.kind !== 'github') {
      catalog.problems.push(pullRequestProblem(at('pullRequest')));
      continue;
    }
    const namespace = automation.namespace ?? 'default';
    const policyList: ObjectRef[] | undefined = automation.policies?.map((key, i) => {
      const [first = '', second] = key.split(':');
      return second === undefined
        ? { namespace, name: first, location: at('policies', i) }
        : { namespace: first, name: second, location: at('policies', i) };
    });
    catalog.automations.push({
      config: {
        namespace,
        name: automation.name,
        apiVersion: TAGSMITH_API_VERSION,
        updatePath,
        strategy: 'Setters',
        author: { ...automation.author },
        ...(automation.signingKey === undefined
          ? {}
          : { signingKey: signingKey(automation.signingKey, absoluteDir) }),
        messageTemplate: automation.messageTemplate || DEFAULT_MESSAGE_TEMPLATE,
        messageTemplateValues: { ...automation.messageTemplateValues },
        push: {
          ...(automation.push?.branch === undefined ? {} : { branch: automation.push.branch }),
          ...(automation.push?.refspec === undefined ? {} : { refspec: automation.push.refspec }),
          options: { ...automation.push?.options },
        },
        ...(automation.pullRequest === undefined
          ? {}
          : { pullRequest: pullRequest(automation.pullRequest) }),
        ...(automation.policySelector === undefined
          ? {}
          : { policySelector: automation.policySelector }),
        allowDowngrade: automation.allowDowngrade ?? true,
        location: at(),
      },
      source,
      checkout: { ...automation.checkout },
      ...(policyList === undefined ? {} : { policyList: { refs: policyList } }),
      ...(automation.messageTemplate ? { templateLocation: at('messageTemplate') } : {}),
      fromManifest: false,
    });
  }
  return settings;
}

/** A pull request needs the GitHub API. */
export function pullRequestProblem(location: SourceLocation) {
  return {
    severity: 'error' as const,
    kind: 'schema' as const,
    message:
      'pullRequest needs a GitHub source (git: { github: owner/repo }); this source is cloned and pushed to',
    location,
  };
}

function readOverrides(
  config: TagsmithConfigFile,
  doc: YamlDocument,
  baseDir: string,
  keep: (path: string) => boolean,
  overrides: Overrides,
  catalog: Catalog,
): void {
  const o = config.overrides ?? {};
  const each = <T>(
    section: string,
    entries: Record<string, T> | undefined,
    add: (key: string, value: T, location: SourceLocation) => void,
  ) => {
    for (const [key, value] of Object.entries(entries ?? {})) {
      if (keep(`/overrides/${section}/${escapeKey(key)}`))
        add(key, value, doc.locate(['overrides', section, key], 'key'));
    }
  };
  each('imageRepositories', o.imageRepositories, (key, value, location) => {
    overrides.imageRepositories.set(key, {
      value: {
        ...(value.credentials === undefined
          ? {}
          : { credentials: credentialReference(value.credentials, baseDir) }),
        ...(value.insecure === undefined ? {} : { insecure: value.insecure }),
      },
      location,
    });
  });
  each('gitRepositories', o.gitRepositories, (key, value, location) => {
    const replaces =
      value.path !== undefined || value.url !== undefined || value.github !== undefined;
    const source = replaces ? gitSource(value, baseDir) : undefined;
    if (source !== undefined && 'error' in source) {
      catalog.problems.push({
        severity: 'error',
        kind: 'schema',
        message: `overrides.gitRepositories.${key}: ${source.error}`,
        location,
      });
      return;
    }
    overrides.gitRepositories.set(key, {
      value: {
        ...(source === undefined ? {} : { source }),
        ...(value.credentials === undefined
          ? {}
          : { credentials: gitCredentials(value.credentials, baseDir) }),
        ...(value.token === undefined ? {} : { token: credentialReference(value.token, baseDir) }),
      },
      location,
    });
  });
  each('imagePolicies', o.imagePolicies, (key, value, location) => {
    overrides.imagePolicies.set(key, { value: { ...value }, location });
  });
  each('automations', o.automations, (key, value, location) => {
    overrides.automations.set(key, {
      value: {
        ...(value.signingKey === undefined
          ? {}
          : { signingKey: signingKey(value.signingKey, baseDir) }),
        ...(value.pullRequest === undefined ? {} : { pullRequest: pullRequest(value.pullRequest) }),
        ...(value.allowDowngrade === undefined ? {} : { allowDowngrade: value.allowDowngrade }),
      },
      location,
    });
  });
}

/** tagsmith.yaml's `git` (exactly one of path, url, github) to a source. */
function gitSource(git: GitSourceText, baseDir: string): GitSourceConfig | { error: string } {
  const given = (['path', 'url', 'github'] as const).filter((key) => git[key] !== undefined);
  if (given.length !== 1) {
    return {
      error: `expected exactly one of path, url, github; got ${given.length === 0 ? 'none' : given.join(' and ')}`,
    };
  }
  if (git.path !== undefined) return localSource(git.path, baseDir);
  if (git.github !== undefined) {
    return {
      kind: 'github',
      ...githubSource(git.github),
      ...(git.baseUrl === undefined ? {} : { baseUrl: git.baseUrl }),
      ...(git.token === undefined ? {} : { token: credentialReference(git.token, baseDir) }),
    };
  }
  const source = sourceFromUrl(git.url ?? '');
  if ('error' in source || source.kind !== 'url') return source;
  return {
    ...source,
    ...(git.credentials === undefined
      ? {}
      : { credentials: gitCredentials(git.credentials, baseDir) }),
  };
}

function signingKey(
  key: NonNullable<TagsmithConfigFile['automations']>[number]['signingKey'] & object,
  baseDir: string,
): NonNullable<UpdateAutomationConfig['signingKey']> {
  return {
    type: key.type ?? 'gpg',
    key: credentialReference(key.key, baseDir),
    ...(key.passphrase === undefined
      ? {}
      : { passphrase: credentialReference(key.passphrase, baseDir) }),
  };
}

function pullRequest(
  pr: NonNullable<NonNullable<TagsmithConfigFile['automations']>[number]['pullRequest']>,
): NonNullable<UpdateAutomationConfig['pullRequest']> {
  return {
    ...(pr.base === undefined ? {} : { base: pr.base }),
    ...(pr.title === undefined ? {} : { title: pr.title }),
    ...(pr.body === undefined ? {} : { body: pr.body }),
    labels: [...(pr.labels ?? [])],
  };
}

/**
 * The entries (JSON pointers) an error is in: a list item, a map entry, or a
 * whole top-level field; `''` when the document as a whole is not a config.
 */
function brokenEntries(problems: readonly PathProblem[]): Set<string> {
  const broken = new Set<string>();
  for (const { path, problem } of problems) {
    if (problem.severity !== 'error') continue;
    const [section, key, third] = path;
    if (section === undefined || section === 'apiVersion' || section === 'kind') broken.add('');
    else if (key === undefined) broken.add(`/${escapeKey(section)}`);
    else if (section === 'overrides')
      broken.add(third === undefined ? '/overrides' : `/overrides/${key}/${escapeKey(third)}`);
    else broken.add(`/${section}/${escapeKey(key)}`);
  }
  return broken;
}

function escapeKey(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
