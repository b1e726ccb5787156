// tagsmith.yaml: the one source of truth for its JSON Schema (published as
// schema/tagsmith.schema.json) and its TypeScript type. The loader validates
// with this schema through TypeBox's Value.Errors, so what editors complete and
// what the loader accepts cannot drift apart.
import {
  type Static,
  type TObject,
  type TProperties,
  type TRecord,
  type TSchema,
  type TString,
  Type,
} from '@sinclair/typebox';
import { GIT_REF, LABEL_SELECTOR } from './flux-schemas.js';
import { neverQuoted } from './schema-problems.js';

/** `apiVersion` of a tagsmith.yaml. */
export const CONFIG_API_VERSION = 'tagsmith.dev/v1';
/** `kind` of a tagsmith.yaml. */
export const CONFIG_KIND = 'Config';

function object<T extends TProperties>(properties: T, description: string): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, description });
}

const NAME = Type.String({
  minLength: 1,
  pattern: '^[^/:\\s]+$',
  description: 'a name without "/", ":" or spaces',
});
const STRING_MAP = Type.Record(Type.String(), Type.String(), { description: 'a map of strings' });

/** A secret by reference; a string that is not `env:`, `file:` or `helper:` is refused (a literal secret). */
export const CREDENTIAL_REFERENCE = neverQuoted(
  Type.Union(
    [
      Type.String({ pattern: '^(env|file|helper):.+$' }),
      Type.Object({ env: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object({ file: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      Type.Object({ helper: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    ],
    {
      description:
        'a credential reference: "env:NAME", "file:PATH", "helper:NAME" or { env | file | helper: ... }; never the secret itself',
    },
  ),
);

/** Git credentials by reference. */
export const GIT_CREDENTIALS = Type.Union(
  [
    object(
      {
        type: Type.Literal('token'),
        token: CREDENTIAL_REFERENCE,
        username: Type.Optional(Type.String({ minLength: 1 })),
      },
      'HTTPS token',
    ),
    object(
      {
        type: Type.Literal('basic'),
        username: Type.String({ minLength: 1 }),
        password: CREDENTIAL_REFERENCE,
      },
      'HTTPS basic auth',
    ),
    object({ type: Type.Literal('bearer'), token: CREDENTIAL_REFERENCE }, 'HTTPS bearer token'),
    object(
      {
        type: Type.Literal('ssh'),
        privateKey: CREDENTIAL_REFERENCE,
        knownHosts: CREDENTIAL_REFERENCE,
        passphrase: Type.Optional(CREDENTIAL_REFERENCE),
      },
      'an SSH key',
    ),
  ],
  {
    description:
      'git credentials: { type: token, token } | { type: basic, username, password } | { type: bearer, token } | { type: ssh, privateKey, knownHosts, passphrase? }, each secret by reference',
  },
);

const GITHUB = Type.String({
  pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
  description: 'a GitHub repository as owner/repo',
});

/** Where an automation's repository is: exactly one of `path`, `url`, `github`. */
const GIT_SOURCE_FIELDS = {
  path: Type.Optional(
    Type.String({ minLength: 1, description: 'a local repository, relative to this file' }),
  ),
  url: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'a git URL: https://, http://, ssh://, git@host:path',
    }),
  ),
  github: Type.Optional(GITHUB),
  baseUrl: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'the GitHub API URL (GitHub Enterprise)' }),
  ),
  credentials: Type.Optional(GIT_CREDENTIALS),
  token: Type.Optional(CREDENTIAL_REFERENCE),
};

const GIT_SOURCE = object(GIT_SOURCE_FIELDS, 'a git source: exactly one of path, url, github');

const SIGNING_KEY = object(
  {
    type: Type.Optional(Type.Union([Type.Literal('gpg'), Type.Literal('ssh')])),
    key: CREDENTIAL_REFERENCE,
    passphrase: Type.Optional(CREDENTIAL_REFERENCE),
  },
  'a signing key { type?: gpg | ssh, key, passphrase? }, by reference',
);

const PULL_REQUEST = object(
  {
    base: Type.Optional(Type.String({ minLength: 1 })),
    title: Type.Optional(Type.String()),
    body: Type.Optional(Type.String()),
    labels: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  'a pull request { base?, title?, body?, labels? }',
);

const ORDER = Type.Object(
  { order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])) },
  { additionalProperties: false },
);

const IMAGE_REPOSITORY = object(
  {
    name: NAME,
    namespace: Type.Optional(NAME),
    image: Type.String({
      minLength: 1,
      description: 'an image name such as registry.example.com/my-app',
    }),
    exclusionList: Type.Optional(
      Type.Array(Type.String(), { description: 'tag patterns (RE2) to leave out' }),
    ),
    insecure: Type.Optional(Type.Boolean()),
    credentials: Type.Optional(CREDENTIAL_REFERENCE),
  },
  'an image repository { name, image, namespace?, exclusionList?, insecure?, credentials? }',
);

const POLICY = object(
  {
    name: NAME,
    namespace: Type.Optional(NAME),
    labels: Type.Optional(STRING_MAP),
    imageRepository: Type.Union(
      [
        NAME,
        object({ name: NAME, namespace: Type.Optional(NAME) }, 'a reference { name, namespace? }'),
      ],
      { description: 'an image repository name, or { name, namespace? }' },
    ),
    policy: object(
      {
        semver: Type.Optional(
          Type.Object(
            { range: Type.String({ description: 'a semver range' }) },
            { additionalProperties: false },
          ),
        ),
        alphabetical: Type.Optional(ORDER),
        numerical: Type.Optional(ORDER),
      },
      'exactly one of semver, alphabetical, numerical',
    ),
    filterTags: Type.Optional(
      object(
        { pattern: Type.Optional(Type.String()), extract: Type.Optional(Type.String()) },
        'a tag filter { pattern?, extract? }',
      ),
    ),
    digestReflectionPolicy: Type.Optional(
      Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')]),
    ),
    allowDowngrade: Type.Optional(Type.Boolean()),
  },
  'an image policy { name, imageRepository, policy, namespace?, labels?, filterTags?, digestReflectionPolicy?, allowDowngrade? }',
);

const PUSH = object(
  {
    branch: Type.Optional(Type.String({ minLength: 1 })),
    refspec: Type.Optional(Type.String({ minLength: 1 })),
    options: Type.Optional(STRING_MAP),
  },
  'a push { branch?, refspec?, options? }',
);

const AUTOMATION = object(
  {
    name: NAME,
    namespace: Type.Optional(NAME),
    git: GIT_SOURCE,
    checkout: Type.Optional(GIT_REF),
    updatePath: Type.Optional(Type.String({ description: 'a directory inside the repository' })),
    author: object(
      { name: Type.String({ minLength: 1 }), email: Type.String({ minLength: 1 }) },
      'an author { name, email }',
    ),
    signingKey: Type.Optional(SIGNING_KEY),
    messageTemplate: Type.Optional(Type.String()),
    messageTemplateValues: Type.Optional(STRING_MAP),
    push: Type.Optional(PUSH),
    pullRequest: Type.Optional(PULL_REQUEST),
    policySelector: Type.Optional(LABEL_SELECTOR),
    policies: Type.Optional(
      Type.Array(Type.String({ pattern: '^([^/:\\s]+:)?[^/:\\s]+$' }), {
        description: 'policy names ("name" in this namespace, or "namespace:name")',
      }),
    ),
    allowDowngrade: Type.Optional(Type.Boolean()),
  },
  'an automation { name, git, author, ... }',
);

const OBJECT_KEY = '^[^/\\s]+/[^/\\s]+$';

function overrides<T extends TSchema>(value: T, what: string): TRecord<TString, T> {
  return Type.Record(Type.String({ pattern: OBJECT_KEY }), value, {
    additionalProperties: false,
    description: `${what}, keyed by "namespace/name" of the Flux object`,
  });
}

/** The tagsmith.yaml document. */
export const TAGSMITH_CONFIG = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    apiVersion: Type.Literal(CONFIG_API_VERSION),
    kind: Type.Literal(CONFIG_KIND),
    hosts: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1 }),
        Type.Union([
          Type.String({ pattern: '^https?://[^/]+$' }),
          object({ endpoint: Type.String({ pattern: '^https?://[^/]+$' }) }, 'a host { endpoint }'),
        ]),
        { description: 'registry name → endpoint ("http://127.0.0.1:5000" or { endpoint })' },
      ),
    ),
    dockerConfig: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'a docker config directory, relative to this file',
      }),
    ),
    manifests: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: 'directories (or files) of Flux manifests, relative to this file',
      }),
    ),
    overrides: Type.Optional(
      object(
        {
          imageRepositories: Type.Optional(
            overrides(
              object(
                {
                  credentials: Type.Optional(CREDENTIAL_REFERENCE),
                  insecure: Type.Optional(Type.Boolean()),
                },
                'an image repository override { credentials?, insecure? }',
              ),
              'ImageRepository overrides',
            ),
          ),
          gitRepositories: Type.Optional(overrides(GIT_SOURCE, 'GitRepository overrides')),
          imagePolicies: Type.Optional(
            overrides(
              object(
                { allowDowngrade: Type.Optional(Type.Boolean()) },
                'a policy override { allowDowngrade? }',
              ),
              'ImagePolicy overrides',
            ),
          ),
          automations: Type.Optional(
            overrides(
              object(
                {
                  signingKey: Type.Optional(SIGNING_KEY),
                  pullRequest: Type.Optional(PULL_REQUEST),
                  allowDowngrade: Type.Optional(Type.Boolean()),
                },
                'an automation override { signingKey?, pullRequest?, allowDowngrade? }',
              ),
              'ImageUpdateAutomation overrides',
            ),
          ),
        },
        'overrides of Flux objects read from manifests',
      ),
    ),
    imageRepositories: Type.Optional(Type.Array(IMAGE_REPOSITORY)),
    imagePolicies: Type.Optional(Type.Array(POLICY)),
    automations: Type.Optional(Type.Array(AUTOMATION)),
  },
  {
    additionalProperties: false,
    $id: 'https://tagsmith.dev/schema/tagsmith.schema.json',
    title: 'tagsmith.yaml',
    description:
      'tagsmith configuration: registries, image repositories, policies, automations, Flux manifests',
  },
);

/** A tagsmith.yaml, as its schema describes it. */
export type TagsmithConfigFile = Static<typeof TAGSMITH_CONFIG>;
/** A credential reference as written in tagsmith.yaml. */
export type CredentialReferenceText = Static<typeof CREDENTIAL_REFERENCE>;
/** Git credentials as written in tagsmith.yaml. */
export type GitCredentialsText = Static<typeof GIT_CREDENTIALS>;
/** An automation's `git`, or a GitRepository override, as written. */
export type GitSourceText = Static<typeof GIT_SOURCE>;
/** A signing key as written. */
export type SigningKeyText = Static<typeof SIGNING_KEY>;
/** A pull request as written. */
export type PullRequestText = Static<typeof PULL_REQUEST>;
