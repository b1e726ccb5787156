// Kubernetes-only fields of the Flux objects that have no local meaning. Each one
// present in a manifest is a `not-supported` warning, so none is silently
// ignored; docs/migrating-from-flux.md has the same table for users. Secret references that a
// tagsmith.yaml override can map (ImageRepository and GitRepository
// `secretRef`, the signing key's `secretRef`) are handled by the resolver.

/** A field with no local equivalent, and what that means. */
export interface UnsupportedField {
  /** The path below the object, e.g. `['spec', 'certSecretRef']`. */
  readonly path: readonly string[];
  /** Whether the value written matters, e.g. `provider: generic` is the default and says nothing. */
  readonly applies?: (value: unknown) => boolean;
  /** What happens instead. */
  readonly consequence: string;
}

const notGeneric = (value: unknown): boolean => value !== 'generic';
const isTrue = (value: unknown): boolean => value === true;

/** Per Flux kind, the fields warned about. */
export const UNSUPPORTED_FIELDS: Readonly<Record<string, readonly UnsupportedField[]>> = {
  ImageRepository: [
    { path: ['spec', 'timeout'], consequence: 'requests use the registry client’s own timeouts' },
    {
      path: ['spec', 'serviceAccountName'],
      consequence: 'registry credentials come from the docker config or a credentials override',
    },
    {
      path: ['spec', 'certSecretRef'],
      consequence:
        'TLS is verified against the system’s CA certificates (NODE_EXTRA_CA_CERTS adds one)',
    },
    { path: ['spec', 'proxySecretRef'], consequence: 'no proxy is configured for the registry' },
    {
      path: ['spec', 'provider'],
      applies: notGeneric,
      consequence:
        'no cloud login; give credentials by the docker config (a credential helper such as ecr-login works)',
    },
    {
      path: ['spec', 'accessFrom'],
      consequence: 'policies of any namespace may use the repository',
    },
  ],
  ImagePolicy: [],
  ImageUpdateAutomation: [],
  GitRepository: [
    {
      path: ['spec', 'timeout'],
      consequence: 'git runs without a time limit of its own (cancel with the signal)',
    },
    { path: ['spec', 'proxySecretRef'], consequence: 'git uses the environment’s proxy settings' },
    {
      path: ['spec', 'provider'],
      applies: notGeneric,
      consequence: 'no cloud or GitHub App login; give credentials by a gitRepositories override',
    },
    {
      path: ['spec', 'serviceAccountName'],
      consequence: 'give credentials by a gitRepositories override',
    },
    {
      path: ['spec', 'accessFrom'],
      consequence: 'automations of any namespace may use the repository',
    },
    {
      path: ['spec', 'recurseSubmodules'],
      applies: isTrue,
      consequence: 'submodules are not checked out, as Flux’s image automation does not either',
    },
  ],
};
