// Reads the Flux objects of one YAML document into catalog records, with the CRD
// defaults the API server would apply (DESIGN section 7): namespace `default`,
// exclusionList `^.*\.sig$` when absent or empty, policy order `asc`,
// digestReflectionPolicy `Never`, strategy `Setters`, sourceRef kind
// `GitRepository`, references in the object's own namespace. Other kinds are
// ignored; a Flux object that fails its version's schema is left out.
import { posix } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { compilePolicy, excludeTags, type ImagePolicySpec, PolicyError } from '@tagsmith/policy';
import type {
  CheckoutRefConfig,
  ConfigProblem,
  DigestReflectionPolicy,
  LabelSelector,
} from '../config-types.js';
import {
  gitRepositorySchema,
  IMAGE_GROUP,
  IMAGE_VERSIONS,
  type ImageVersion,
  imagePolicySchema,
  imageRepositorySchema,
  imageUpdateAutomationSchema,
  SOURCE_GROUP,
  SOURCE_VERSIONS,
  type SourceVersion,
} from './flux-schemas.js';
import { sourceFromUrl } from './git-source.js';
import { UNSUPPORTED_FIELDS } from './not-supported.js';
import type { Catalog } from './records.js';
import { schemaProblems } from './schema-problems.js';
import type { YamlDocument } from './yaml-file.js';

/** Flux's default `exclusionList`: cosign signature tags. */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = ['^.*\\.sig$'];
/** Flux's default commit message. */
export const DEFAULT_MESSAGE_TEMPLATE = 'Update from image update automation';

const IMAGE_KINDS = new Set(['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']);

// Loose views of a validated object; the schema has checked every field read here.
type Json = Record<string, unknown>;
interface FluxObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Json;
}

/** Reads `doc` into `catalog` if it is a Flux object the loader knows; anything else is ignored. */
export function readFluxDocument(doc: YamlDocument, catalog: Catalog): void {
  const value = doc.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const { apiVersion, kind } = value as Json;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
  const [group, version] = apiVersion.split('/');
  if (group === IMAGE_GROUP && IMAGE_KINDS.has(kind)) {
    if (isVersion(IMAGE_VERSIONS, version)) readImageObject(doc, catalog, kind, version);
    else unknownVersion(doc, catalog, apiVersion, kind, IMAGE_VERSIONS);
  } else if (group === SOURCE_GROUP && kind === 'GitRepository') {
    if (isVersion(SOURCE_VERSIONS, version)) readGitRepository(doc, catalog, version);
    else unknownVersion(doc, catalog, apiVersion, kind, SOURCE_VERSIONS);
  }
}

function isVersion<T extends string>(
  versions: readonly T[],
  version: string | undefined,
): version is T {
  return (versions as readonly (string | undefined)[]).includes(version);
}

function unknownVersion(
  doc: YamlDocument,
  catalog: Catalog,
  apiVersion: string,
  kind: string,
  versions: readonly string[],
): void {
  catalog.problems.push({
    severity: 'error',
    kind: 'schema',
    message: `${kind} ${JSON.stringify(apiVersion)} is not read; expected version ${versions.join(', ')}`,
    location: doc.locate(['apiVersion']),
  });
}

/** Validates against `schema`; returns the object, or undefined when an error kept it out. */
function validated(
  doc: YamlDocument,
  catalog: Catalog,
  schema: Parameters<typeof schemaProblems>[0],
): FluxObject | undefined {
  const value = doc.value as FluxObject;
  const problems = schemaProblems(schema, value, doc, {
    unknownFields: 'warning',
    unknownFieldNote: `not in ${value.apiVersion} ${value.kind}; the API server would prune it`,
  });
  catalog.problems.push(...problems);
  if (problems.some((p) => p.severity === 'error')) return undefined;
  // Unknown fields are dropped, as the API server prunes them: warned about, never used.
  return Value.Clean(schema, Value.Clone(value)) as FluxObject;
}

function namespaceOf(object: FluxObject): string {
  return object.metadata.namespace ?? 'default';
}

function warnUnsupported(doc: YamlDocument, catalog: Catalog, object: FluxObject): void {
  for (const field of UNSUPPORTED_FIELDS[object.kind] ?? []) {
    const value = valueAt(object, field.path);
    if (value === undefined || (field.applies !== undefined && !field.applies(value))) continue;
    catalog.problems.push(
      notSupported(
        doc,
        field.path,
        `${field.path.join('.')} is Kubernetes-only: ${field.consequence}`,
      ),
    );
  }
}

function notSupported(doc: YamlDocument, path: readonly string[], message: string): ConfigProblem {
  return { severity: 'warning', kind: 'not-supported', message, location: doc.locate(path, 'key') };
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  let node = object;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** `suspend: true`: the object is left out with a warning (Flux would not act on it either). */
function suspension(doc: YamlDocument, catalog: Catalog, object: FluxObject) {
  if (object.spec.suspend !== true) return {};
  const location = doc.locate(['spec', 'suspend']);
  catalog.problems.push({
    severity: 'warning',
    kind: 'not-supported',
    message: `${object.kind} ${namespaceOf(object)}/${object.metadata.name} has spec.suspend: true; it is skipped, and so is what depends on it`,
    location,
  });
  return { suspended: location };
}

function readImageObject(
  doc: YamlDocument,
  catalog: Catalog,
  kind: string,
  version: ImageVersion,
): void {
  if (kind === 'ImageRepository') readImageRepository(doc, catalog, version);
  else if (kind === 'ImagePolicy') readImagePolicy(doc, catalog, version);
  else readAutomation(doc, catalog, version);
}

function readImageRepository(doc: YamlDocument, catalog: Catalog, version: ImageVersion): void {
  const object = validated(doc, catalog, imageRepositorySchema(version));
  if (object === undefined) return;
  warnUnsupported(doc, catalog, object);
  const spec = object.spec as {
    image: string;
    exclusionList?: string[];
    insecure?: boolean;
    interval?: string;
    secretRef?: { name: string };
  };
  const badPattern = exclusionProblem(spec.exclusionList);
  if (badPattern !== undefined) {
    catalog.problems.push({
      severity: 'error',
      kind: 'schema',
      message: badPattern.message,
      location: doc.locate(['spec', 'exclusionList', badPattern.index]),
    });
    return;
  }
  catalog.repositories.push({
    config: {
      namespace: namespaceOf(object),
      name: object.metadata.name,
      image: spec.image,
      // The CRD default replaces an absent or empty list; a non-empty list replaces the default.
      exclusionList: spec.exclusionList?.length
        ? [...spec.exclusionList]
        : [...DEFAULT_EXCLUSION_LIST],
      insecure: spec.insecure ?? false,
      ...(spec.interval === undefined ? {} : { interval: spec.interval }),
      location: doc.location,
    },
    ...(spec.secretRef === undefined
      ? {}
      : {
          secretRef: {
            field: 'spec.secretRef',
            secret: spec.secretRef.name,
            location: doc.locate(['spec', 'secretRef'], 'key'),
          },
        }),
    ...suspension(doc, catalog, object),
    fromManifest: true,
  });
}

function readImagePolicy(doc: YamlDocument, catalog: Catalog, version: ImageVersion): void {
  const object = validated(doc, catalog, imagePolicySchema(version));
  if (object === undefined) return;
  const raw = object.spec as {
    imageRepositoryRef: { name: string; namespace?: string };
    policy: Json;
    filterTags?: { pattern?: string; extract?: string };
    digestReflectionPolicy?: DigestReflectionPolicy;
  };
  const spec = policySpec(raw.policy, raw.filterTags);
  const problem = policyProblem(spec);
  if (problem !== undefined) {
    catalog.problems.push({
      severity: 'error',
      kind: 'schema',
      message: problem,
      location: doc.locate(['spec', 'policy']),
    });
    return;
  }
  const namespace = namespaceOf(object);
  catalog.policies.push({
    config: {
      namespace,
      name: object.metadata.name,
      labels: { ...object.metadata.labels },
      imageRepository: {
        namespace: raw.imageRepositoryRef.namespace ?? namespace,
        name: raw.imageRepositoryRef.name,
      },
      spec,
      digestReflectionPolicy: raw.digestReflectionPolicy ?? 'Never',
      location: doc.location,
    },
    imageRepositoryRef: {
      namespace: raw.imageRepositoryRef.namespace ?? namespace,
      name: raw.imageRepositoryRef.name,
      location: doc.locate(['spec', 'imageRepositoryRef', 'name']),
    },
    ...suspension(doc, catalog, object),
    fromManifest: true,
  });
}

/** The policy spec with Flux's defaults: `order: asc`, and no empty filter fields. */
export function policySpec(
  policy: Json,
  filterTags: { pattern?: string; extract?: string } | undefined,
): ImagePolicySpec {
  const choice = (
    policy.semver !== undefined
      ? { semver: policy.semver }
      : policy.alphabetical !== undefined
        ? { alphabetical: { order: (policy.alphabetical as { order?: string }).order ?? 'asc' } }
        : policy.numerical !== undefined
          ? { numerical: { order: (policy.numerical as { order?: string }).order ?? 'asc' } }
          : policy
  ) as ImagePolicySpec['policy'];
  const filter = {
    ...(filterTags?.pattern ? { pattern: filterTags.pattern } : {}),
    ...(filterTags?.extract ? { extract: filterTags.extract } : {}),
  };
  return { policy: choice, ...(Object.keys(filter).length > 0 ? { filterTags: filter } : {}) };
}

/**
 * The first exclusion pattern RE2 refuses, with its index and `@tagsmith/policy`'s message,
 * so a bad pattern fails at load rather than in the middle of a cycle.
 */
export function exclusionProblem(
  patterns: readonly string[] | undefined,
): { index: number; message: string } | undefined {
  for (const [index, pattern] of (patterns ?? []).entries()) {
    try {
      excludeTags([], [pattern]);
    } catch (error) {
      if (error instanceof PolicyError) {
        return { index, message: `exclusionList[${index}]: ${error.message}` };
      }
      throw error;
    }
  }
  return undefined;
}

/** What `@tagsmith/policy` says is wrong with `spec` (exactly one strategy, a valid range, pattern…). */
export function policyProblem(spec: ImagePolicySpec): string | undefined {
  if (Object.keys(spec.policy).length !== 1) {
    return 'spec.policy must set exactly one of semver, alphabetical, numerical';
  }
  try {
    compilePolicy(spec);
    return undefined;
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
}

/** `./apps` → `apps`, `''` and `./` → `.`; undefined for a path leaving the repository. */
export function normalizeUpdatePath(path: string | undefined): string | undefined {
  if (path === undefined || path === '') return '.';
  const normalized = posix.normalize(path.replaceAll('\\', '/')).replace(/\/+$/, '');
  if (normalized === '') return '.';
  if (posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../'))
    return undefined;
  return normalized;
}

function checkoutOf(ref: CheckoutRefConfig | undefined): CheckoutRefConfig | undefined {
  if (ref === undefined) return undefined;
  const out: CheckoutRefConfig = {};
  for (const key of ['branch', 'tag', 'semver', 'name', 'commit'] as const) {
    const value = ref[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function readAutomation(doc: YamlDocument, catalog: Catalog, version: ImageVersion): void {
  const object = validated(doc, catalog, imageUpdateAutomationSchema(version));
  if (object === undefined) return;
  const spec = object.spec as {
    sourceRef: { name: string; namespace?: string };
    git: {
      checkout?: { ref: CheckoutRefConfig };
      commit: {
        author: { name?: string; email: string };
        signingKey?: { secretRef: { name: string } };
        messageTemplate?: string;
        messageTemplateValues?: Record<string, string>;
      };
      push?: { branch?: string; refspec?: string; options?: Record<string, string> };
    };
    interval?: string;
    policySelector?: LabelSelector;
    update?: { path?: string };
  };
  const updatePath = normalizeUpdatePath(spec.update?.path);
  if (updatePath === undefined) {
    catalog.problems.push({
      severity: 'error',
      kind: 'schema',
      message: `spec.update.path ${JSON.stringify(spec.update?.path)} leaves the repository; expected a relative path inside it`,
      location: doc.locate(['spec', 'update', 'path']),
    });
    return;
  }
  const namespace = namespaceOf(object);
  const { commit, push } = spec.git;
  const checkout = checkoutOf(spec.git.checkout?.ref);
  catalog.automations.push({
    config: {
      namespace,
      name: object.metadata.name,
      apiVersion: object.apiVersion,
      updatePath,
      strategy: 'Setters',
      // CommitUser.name is optional in Flux; git refuses an empty name, so the email stands in.
      author: { name: commit.author.name || commit.author.email, email: commit.author.email },
      messageTemplate: commit.messageTemplate || DEFAULT_MESSAGE_TEMPLATE,
      messageTemplateValues: { ...commit.messageTemplateValues },
      push: {
        ...(push?.branch ? { branch: push.branch } : {}),
        ...(push?.refspec ? { refspec: push.refspec } : {}),
        options: { ...push?.options },
      },
      ...(spec.policySelector === undefined ? {} : { policySelector: spec.policySelector }),
      allowDowngrade: true,
      ...(spec.interval === undefined ? {} : { interval: spec.interval }),
      location: doc.location,
    },
    sourceRef: {
      namespace: spec.sourceRef.namespace ?? namespace,
      name: spec.sourceRef.name,
      location: doc.locate(['spec', 'sourceRef', 'name']),
    },
    ...(checkout === undefined ? {} : { checkout }),
    ...(commit.messageTemplate
      ? { templateLocation: doc.locate(['spec', 'git', 'commit', 'messageTemplate']) }
      : {}),
    ...(commit.signingKey === undefined
      ? {}
      : {
          signingSecret: {
            field: 'spec.git.commit.signingKey.secretRef',
            secret: commit.signingKey.secretRef.name,
            location: doc.locate(['spec', 'git', 'commit', 'signingKey'], 'key'),
          },
        }),
    ...suspension(doc, catalog, object),
    fromManifest: true,
  });
}

function readGitRepository(doc: YamlDocument, catalog: Catalog, version: SourceVersion): void {
  const object = validated(doc, catalog, gitRepositorySchema(version));
  if (object === undefined) return;
  warnUnsupported(doc, catalog, object);
  const spec = object.spec as {
    url: string;
    ref?: CheckoutRefConfig;
    secretRef?: { name: string };
  };
  const source = sourceFromUrl(spec.url);
  catalog.gitRepositories.push({
    namespace: namespaceOf(object),
    name: object.metadata.name,
    source:
      'error' in source
        ? { error: `spec.url: ${source.error}`, location: doc.locate(['spec', 'url']) }
        : source,
    // source-controller checks out `master` when spec.ref is absent.
    checkout: checkoutOf(spec.ref) ?? { branch: 'master' },
    ...(spec.secretRef === undefined
      ? {}
      : {
          secretRef: {
            field: 'spec.secretRef',
            secret: spec.secretRef.name,
            location: doc.locate(['spec', 'secretRef'], 'key'),
          },
        }),
    location: doc.location,
  });
  if (object.spec.suspend === true) {
    // The image automation clones the repository itself; Flux acts on a suspended source too.
    catalog.problems.push(
      notSupported(
        doc,
        ['spec', 'suspend'],
        'spec.suspend of a GitRepository is ignored, as by Flux’s image automation',
      ),
    );
  }
}
