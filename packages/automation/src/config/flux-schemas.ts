// The Flux objects the loader reads, as TypeBox schemas per API version, from the
// Go types of fluxcd/image-reflector-controller, image-automation-controller and
// source-controller (`api/<version>`). A field a version does not have is an
// unknown field there (a warning: the API server prunes it). Enums and required
// fields follow the CRDs' kubebuilder markers.
import { type TObject, type TProperties, type TSchema, Type } from '@sinclair/typebox';

/** The Flux API groups and versions the loader reads. */
export const IMAGE_GROUP = 'image.toolkit.fluxcd.io';
/** The source-controller's API group (GitRepository). */
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** The image API versions, oldest first. */
export const IMAGE_VERSIONS = ['v1beta1', 'v1beta2', 'v1'] as const;
/** An image API version. */
export type ImageVersion = (typeof IMAGE_VERSIONS)[number];
/** The GitRepository versions read (`v1beta1` left Flux in 2.0). */
export const SOURCE_VERSIONS = ['v1beta2', 'v1'] as const;
/** A source API version. */
export type SourceVersion = (typeof SOURCE_VERSIONS)[number];

const DURATION = Type.String({
  pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$',
  description: 'a Go duration such as 5m or 1h30m',
});
const LOCAL_REF = Type.Object(
  { name: Type.String({ minLength: 1, description: 'the name of a Secret' }) },
  { description: 'a reference { name: <Secret name> }' },
);
const ACCESS_FROM = Type.Object(
  {},
  { description: 'namespaceSelectors', additionalProperties: true },
);
const STRING_MAP = Type.Record(Type.String(), Type.String(), { description: 'a map of strings' });

/** Kubernetes metadata: name required, namespace and labels optional, anything else allowed. */
const METADATA = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'a non-empty object name' }),
    namespace: Type.Optional(Type.String({ minLength: 1, description: 'a namespace name' })),
    labels: Type.Optional(STRING_MAP),
  },
  { additionalProperties: true },
);

function object<T extends TProperties>(properties: T, description?: string): TObject<T> {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(description === undefined ? {} : { description }),
  });
}

function manifest(spec: TSchema): TObject {
  return Type.Object(
    { apiVersion: Type.String(), kind: Type.String(), metadata: METADATA, spec },
    { additionalProperties: true },
  );
}

function since<T extends TProperties>(
  version: string,
  from: string,
  order: readonly string[],
  fields: T,
): T | Record<string, never> {
  return order.indexOf(version) >= order.indexOf(from) ? fields : {};
}

/** `spec.ref` of a GitRepository, and `spec.git.checkout.ref` of an automation. */
export const GIT_REF = object(
  {
    branch: Type.Optional(Type.String()),
    tag: Type.Optional(Type.String()),
    semver: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    commit: Type.Optional(Type.String()),
  },
  'a git reference { branch | tag | semver | name | commit }',
);

/** The schema of an ImageRepository of `version`. */
export function imageRepositorySchema(version: ImageVersion): TObject {
  return manifest(
    object({
      image: Type.String({
        minLength: 1,
        description: 'an image name such as registry.example.com/my-app',
      }),
      interval: Type.Optional(DURATION),
      timeout: Type.Optional(DURATION),
      secretRef: Type.Optional(LOCAL_REF),
      serviceAccountName: Type.Optional(Type.String()),
      certSecretRef: Type.Optional(LOCAL_REF),
      suspend: Type.Optional(Type.Boolean()),
      accessFrom: Type.Optional(ACCESS_FROM),
      exclusionList: Type.Optional(
        Type.Array(Type.String(), { description: 'a list of regular expressions' }),
      ),
      ...since(version, 'v1beta2', IMAGE_VERSIONS, {
        proxySecretRef: Type.Optional(LOCAL_REF),
        provider: Type.Optional(
          Type.Union([
            Type.Literal('generic'),
            Type.Literal('aws'),
            Type.Literal('azure'),
            Type.Literal('gcp'),
          ]),
        ),
        insecure: Type.Optional(Type.Boolean()),
      }),
    }),
  );
}

const ORDER = object({
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
});

/** The schema of an ImagePolicy of `version`. */
export function imagePolicySchema(version: ImageVersion): TObject {
  return manifest(
    object({
      imageRepositoryRef: object(
        {
          name: Type.String({ minLength: 1 }),
          namespace: Type.Optional(Type.String({ minLength: 1 })),
        },
        'a reference { name, namespace? } to an ImageRepository',
      ),
      policy: object(
        {
          semver: Type.Optional(
            object({
              range: Type.String({ description: 'a semver range such as ">=1.0.0 <2.0.0"' }),
            }),
          ),
          alphabetical: Type.Optional(ORDER),
          numerical: Type.Optional(ORDER),
        },
        'exactly one of semver, alphabetical, numerical',
      ),
      filterTags: Type.Optional(
        object({ pattern: Type.Optional(Type.String()), extract: Type.Optional(Type.String()) }),
      ),
      ...since(version, 'v1beta2', IMAGE_VERSIONS, {
        digestReflectionPolicy: Type.Optional(
          Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')]),
        ),
        interval: Type.Optional(DURATION),
        suspend: Type.Optional(Type.Boolean()),
      }),
    }),
  );
}

const LABEL_SELECTOR = object(
  {
    matchLabels: Type.Optional(STRING_MAP),
    matchExpressions: Type.Optional(
      Type.Array(
        object({
          key: Type.String({ minLength: 1 }),
          operator: Type.Union([
            Type.Literal('In'),
            Type.Literal('NotIn'),
            Type.Literal('Exists'),
            Type.Literal('DoesNotExist'),
          ]),
          values: Type.Optional(Type.Array(Type.String())),
        }),
      ),
    ),
  },
  'a label selector { matchLabels?, matchExpressions? }',
);

export { LABEL_SELECTOR };

/** The schema of an ImageUpdateAutomation of `version`. */
export function imageUpdateAutomationSchema(version: ImageVersion): TObject {
  return manifest(
    object({
      sourceRef: object(
        {
          apiVersion: Type.Optional(Type.String()),
          kind: Type.Optional(
            Type.Literal('GitRepository', { description: '"GitRepository", the only kind' }),
          ),
          name: Type.String({ minLength: 1 }),
          namespace: Type.Optional(Type.String({ minLength: 1 })),
        },
        'a reference { kind: GitRepository, name, namespace? }',
      ),
      // Optional in the CRD, but the controller cannot push without it.
      git: object({
        checkout: Type.Optional(object({ ref: GIT_REF })),
        commit: object({
          author: object(
            { name: Type.Optional(Type.String()), email: Type.String({ minLength: 1 }) },
            'an author { name?, email }',
          ),
          signingKey: Type.Optional(
            object({
              secretRef: LOCAL_REF,
              ...since(version, 'v1', IMAGE_VERSIONS, {
                type: Type.Optional(Type.Union([Type.Literal('gpg'), Type.Literal('ssh')])),
              }),
            }),
          ),
          messageTemplate: Type.Optional(Type.String()),
          ...since(version, 'v1beta2', IMAGE_VERSIONS, {
            messageTemplateValues: Type.Optional(STRING_MAP),
          }),
        }),
        push: Type.Optional(
          object({
            branch: Type.Optional(Type.String()),
            refspec: Type.Optional(Type.String()),
            options: Type.Optional(STRING_MAP),
          }),
        ),
      }),
      interval: Type.Optional(DURATION),
      ...since(version, 'v1beta2', IMAGE_VERSIONS, {
        policySelector: Type.Optional(LABEL_SELECTOR),
      }),
      update: Type.Optional(
        object({
          path: Type.Optional(Type.String()),
          strategy: Type.Optional(
            Type.Literal('Setters', { description: '"Setters", the only strategy' }),
          ),
        }),
      ),
      suspend: Type.Optional(Type.Boolean()),
    }),
  );
}

/** The schema of a GitRepository of `version`. */
export function gitRepositorySchema(version: SourceVersion): TObject {
  return manifest(
    object({
      url: Type.String({
        minLength: 1,
        description: 'a git URL (http, https, ssh, file) or an absolute path',
      }),
      secretRef: Type.Optional(LOCAL_REF),
      interval: Type.Optional(DURATION),
      timeout: Type.Optional(DURATION),
      ref: Type.Optional(GIT_REF),
      verify: Type.Optional(Type.Object({}, { additionalProperties: true })),
      ignore: Type.Optional(Type.String()),
      suspend: Type.Optional(Type.Boolean()),
      recurseSubmodules: Type.Optional(Type.Boolean()),
      include: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
      ...since(version, 'v1', SOURCE_VERSIONS, {
        provider: Type.Optional(
          Type.Union([
            Type.Literal('generic'),
            Type.Literal('aws'),
            Type.Literal('azure'),
            Type.Literal('github'),
          ]),
        ),
        serviceAccountName: Type.Optional(Type.String()),
        proxySecretRef: Type.Optional(LOCAL_REF),
        sparseCheckout: Type.Optional(Type.Array(Type.String())),
      }),
      ...(version === 'v1beta2'
        ? {
            gitImplementation: Type.Optional(Type.String()),
            accessFrom: Type.Optional(ACCESS_FROM),
          }
        : {}),
    }),
  );
}
