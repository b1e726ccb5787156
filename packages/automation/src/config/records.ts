// What the readers (Flux manifests, tagsmith.yaml) hand the resolver: objects
// with defaults applied but references not yet followed.
import type {
  CheckoutRefConfig,
  ConfigProblem,
  GitSourceConfig,
  ImagePolicyConfig,
  ImageRepositoryConfig,
  SourceLocation,
  UpdateAutomationConfig,
} from '../config-types.js';

/** A namespaced reference and where it was written. */
export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
  readonly location: SourceLocation;
}

/** A Kubernetes-only `secretRef` that an override may map, and where it was written. */
export interface SecretField {
  /** The field, e.g. `spec.secretRef`. */
  readonly field: string;
  /** The Secret's name. */
  readonly secret: string;
  readonly location: SourceLocation;
}

/** Set on an object with `suspend: true`: left out with a warning, and so are its dependants. */
export interface Suspendable {
  readonly suspended?: SourceLocation;
}

export interface RepositoryRecord extends Suspendable {
  config: ImageRepositoryConfig;
  /** From a Flux manifest: its `spec.secretRef`, mapped by a `credentials` override or warned about. */
  readonly secretRef?: SecretField;
  readonly fromManifest: boolean;
}

export interface PolicyRecord extends Suspendable {
  config: ImagePolicyConfig;
  readonly imageRepositoryRef: ObjectRef;
  readonly fromManifest: boolean;
}

export interface GitRepositoryRecord {
  readonly namespace: string;
  readonly name: string;
  /** The source from `spec.url`, or the problem with it (reported only if an automation uses it). */
  readonly source: GitSourceConfig | { readonly error: string; readonly location: SourceLocation };
  readonly checkout: CheckoutRefConfig;
  readonly secretRef?: SecretField;
  readonly location: SourceLocation;
}

/** The automation's fields that need no reference followed. */
export type AutomationFields = Omit<UpdateAutomationConfig, 'source' | 'checkout' | 'policies'>;

export interface AutomationRecord extends Suspendable {
  config: AutomationFields;
  /** A Flux automation's `spec.sourceRef`; a tagsmith.yaml automation has `source` instead. */
  readonly sourceRef?: ObjectRef;
  readonly source?: GitSourceConfig;
  /** `spec.git.checkout.ref` (Flux: replaces the GitRepository's `spec.ref`), or tagsmith.yaml's `checkout`. */
  readonly checkout?: CheckoutRefConfig;
  /** tagsmith.yaml's explicit `policies` list. */
  readonly policyList?: { readonly refs: ObjectRef[] };
  /** Where `messageTemplate` was written (its value node), to position template problems. */
  readonly templateLocation?: SourceLocation;
  /** `spec.git.commit.signingKey.secretRef`, mapped by a `signingKey` override or warned about. */
  readonly signingSecret?: SecretField;
  readonly fromManifest: boolean;
}

/** Everything read from the files, before references are followed. */
export interface Catalog {
  readonly repositories: RepositoryRecord[];
  readonly policies: PolicyRecord[];
  readonly gitRepositories: GitRepositoryRecord[];
  readonly automations: AutomationRecord[];
  readonly problems: ConfigProblem[];
  readonly files: Set<string>;
}

/** An empty {@link Catalog}. */
export function emptyCatalog(): Catalog {
  return {
    repositories: [],
    policies: [],
    gitRepositories: [],
    automations: [],
    problems: [],
    files: new Set(),
  };
}
