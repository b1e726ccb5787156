import type { ImagePolicySpec } from '@tagsmith/policy';
import type { RegistryHost } from '@tagsmith/registry';

/** Where something was written: a file and a 1-based line and column. */
export interface SourceLocation {
  /** The file, as given to `loadConfig` or found under its directory. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * Where a secret comes from. Configs name a secret, never hold one:
 * `{ env: 'GITHUB_TOKEN' }`, `{ file: '/run/secrets/token' }`, or a docker-style
 * credential helper program (`{ helper: 'ecr-login' }` runs `docker-credential-ecr-login`).
 */
export type CredentialReference = { env: string } | { file: string } | { helper: string };

/** An image repository to scan (Flux's ImageRepository, with CRD defaults applied). */
export interface ImageRepositoryConfig {
  /** `metadata.namespace`; `default` when absent (as `kubectl apply` would). */
  namespace: string;
  /** `metadata.name`. */
  name: string;
  /** `spec.image`, verbatim, e.g. `registry.example.com/my-app`. */
  image: string;
  /** Tag patterns (RE2) to leave out. Default: `["^.*\\.sig$"]`, replaced by a non-empty list. */
  exclusionList: string[];
  /** Plain HTTP to this registry (`spec.insecure`). Default: `false`. */
  insecure: boolean;
  /** Registry credentials, the local equivalent of `spec.secretRef`. Default: the docker config. */
  credentials?: CredentialReference;
  /**
   * `spec.interval` as written (a Go duration such as `5m`), informational: a cycle lists every
   * repository's tags. Default: absent.
   */
  interval?: string;
  /** Where it was written. */
  location: SourceLocation;
}

/** How a policy's digest is reflected (Flux's `spec.digestReflectionPolicy`). Default: `Never`. */
export type DigestReflectionPolicy = 'Never' | 'IfNotPresent' | 'Always';

/** A tag policy (Flux's ImagePolicy, with CRD defaults applied). */
export interface ImagePolicyConfig {
  /** `metadata.namespace`; `default` when absent. */
  namespace: string;
  /** `metadata.name`. */
  name: string;
  /** `metadata.labels`, matched by an automation's `policySelector`. Default: `{}`. */
  labels: Record<string, string>;
  /** The image repository it picks from (`spec.imageRepositoryRef`; namespace defaults to the policy's). */
  imageRepository: { namespace: string; name: string };
  /** The policy and tag filter, as `@tagsmith/policy` takes them. */
  spec: ImagePolicySpec;
  /** When to resolve the chosen tag's digest. Default: `Never`. */
  digestReflectionPolicy: DigestReflectionPolicy;
  /**
   * Beyond Flux, opt-in: `false` keeps a field whose current tag the policy ranks above the
   * chosen one (fluxcd/image-automation-controller#467). Default: inherit the automation's.
   */
  allowDowngrade?: boolean;
  /** Where it was written. */
  location: SourceLocation;
}

/** Where an automation's git repository is. */
export type GitSourceConfig =
  | {
      /** A working copy or bare repository on this machine. */
      kind: 'local';
      /** Its path (absolute, resolved against the config's directory). */
      path: string;
    }
  | {
      /** A git URL: `https://…`, `http://…`, `ssh://…`, `git@host:path`, `file://…`. */
      kind: 'url';
      /** The URL, without credentials. */
      url: string;
      /** HTTPS token or basic auth, or an SSH key, by reference. Default: none. */
      credentials?: GitCredentialsReference;
    }
  | {
      /** A GitHub repository through the REST API (`github:owner/repo`), no clone. */
      kind: 'github';
      /** The owner (user or organisation). */
      owner: string;
      /** The repository name. */
      repo: string;
      /** GitHub Enterprise API URL. Default: `https://api.github.com`. */
      baseUrl?: string;
      /** The token. Default: `{ env: 'GITHUB_TOKEN' }`. */
      token?: CredentialReference;
    };

/** Git credentials by reference (the local equivalent of a GitRepository's `secretRef`). */
export type GitCredentialsReference =
  | { type: 'token'; token: CredentialReference; username?: string }
  | { type: 'basic'; username: string; password: CredentialReference }
  | { type: 'bearer'; token: CredentialReference }
  | {
      type: 'ssh';
      privateKey: CredentialReference;
      knownHosts: CredentialReference;
      passphrase?: CredentialReference;
    };

/** Which commit to check out (Flux's GitRepository `spec.ref`): commit > name > tag > semver > branch. */
export interface CheckoutRefConfig {
  /** A branch. Default (no field set): the remote's default branch. */
  branch?: string;
  /** A tag. */
  tag?: string;
  /** A semver range; the highest matching tag. */
  semver?: string;
  /** A full ref, e.g. `refs/heads/main`. */
  name?: string;
  /** A commit SHA. */
  commit?: string;
}

/** Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  /** Every label must have this value. */
  matchLabels?: Record<string, string>;
  /** Every expression must hold. */
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** One update automation (Flux's ImageUpdateAutomation plus its GitRepository). */
export interface UpdateAutomationConfig {
  /** `metadata.namespace`; `default` when absent. */
  namespace: string;
  /** `metadata.name`. */
  name: string;
  /** The manifest's `apiVersion` (decides `.Updated` support), or `tagsmith.dev/v1` for tagsmith.yaml. */
  apiVersion: string;
  /** Where the repository is. */
  source: GitSourceConfig;
  /** What to check out. Default: the source's default branch. */
  checkout: CheckoutRefConfig;
  /** The directory to patch, relative to the repository root, normalized (`./apps` is `apps`). Default: `.`. */
  updatePath: string;
  /** Only `Setters` exists. */
  strategy: 'Setters';
  /** The commit's author. */
  author: { name: string; email: string };
  /** Sign commits: the key by reference. Default: unsigned. */
  signingKey?: { type: 'gpg' | 'ssh'; key: CredentialReference; passphrase?: CredentialReference };
  /** Go text/template source. Default: Flux's `Update from image update automation`. */
  messageTemplate: string;
  /** `.Values` of the template. Default: `{}`. */
  messageTemplateValues: Record<string, string>;
  /** Where to push. Default: the checkout branch. */
  push: {
    branch?: string;
    refspec?: string;
    /** `--push-option` values, as Flux's `push.options` map (`key=value`, or `key` for an empty value). */
    options: Record<string, string>;
  };
  /** Open or update a pull request from the push branch (GitHub sources only). Default: none. */
  pullRequest?: { base?: string; title?: string; body?: string; labels: string[] };
  /** Which policies of its namespace it applies. Default: all of them. */
  policySelector?: LabelSelector;
  /** The selected policies, as `namespace:name` keys, sorted. */
  policies: string[];
  /** Beyond Flux, opt-in: `false` refuses downgrades for all its policies. Default: `true`. */
  allowDowngrade: boolean;
  /**
   * `spec.interval` as written (a Go duration such as `30m`), informational: `runAutomation` runs
   * one cycle; a loop (the CLI's `--interval`) may default to it. Default: absent.
   */
  interval?: string;
  /** Where it was written. */
  location: SourceLocation;
}

/** A problem found while loading; errors leave the object out, warnings keep it. */
export interface ConfigProblem {
  /** `error`: the object was not loaded. `warning`: it was, with a caveat. */
  severity: 'error' | 'warning';
  /**
   * What kind of problem: `yaml-syntax`, `schema`, `unknown-reference`, `duplicate`,
   * `not-supported` (a Kubernetes-only field), `deprecated` (e.g. `.Updated` in a template),
   * `template`.
   */
  kind: ConfigProblemKind;
  /** What is wrong and what was expected. */
  message: string;
  /** Where. */
  location: SourceLocation;
}

/** The `kind` of a {@link ConfigProblem}. */
export type ConfigProblemKind =
  | 'yaml-syntax'
  | 'schema'
  | 'unknown-reference'
  | 'duplicate'
  | 'not-supported'
  | 'deprecated'
  | 'template';

/** Everything `loadConfig` read, defaulted and cross-checked; `runAutomation` takes it. */
export interface AutomationConfig {
  /** Image repositories to scan. */
  imageRepositories: ImageRepositoryConfig[];
  /** Tag policies. */
  imagePolicies: ImagePolicyConfig[];
  /** Update automations. */
  automations: UpdateAutomationConfig[];
  /** Registry name → endpoint, e.g. `{ 'registry.example.com': { endpoint: 'http://127.0.0.1:5000' } }`. */
  hosts: Record<string, RegistryHost>;
  /** Docker config directory for registry credentials. Default: `$DOCKER_CONFIG` or `~/.docker`. */
  dockerConfig?: string;
  /** Problems found; the objects they concern are left out (errors) or kept (warnings). */
  problems: ConfigProblem[];
  /** The files that were read, sorted. */
  files: string[];
}
