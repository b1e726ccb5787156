// The options of runAutomation and the report it returns. The report is plain data
// (JSON-serialisable, no class instances, no secret), so a CLI can print it with
// `--json` and a controller can store it as Flux stores `status`.

import type { TagExplanationKind } from '@tagsmith/policy';
import type { Logger } from './logger.js';

/** Options of {@link runAutomation}. */
export interface RunOptions {
  /** Stops the cycle: every listing, git command and write; the call rejects with `ABORTED`. Default: none. */
  signal?: AbortSignal;
  /** Where the cycle's phases and failures are logged, and what the primitives get. Default: none. */
  logger?: Logger;
  /**
   * Where clones and GitHub workspaces go. Default: a fresh temporary directory, removed
   * when the cycle ends. A given directory is kept (and its clones reused by nothing).
   */
  workDir?: string;
  /** Tag listings in flight at once. Default: `8`. */
  concurrency?: number;
  /**
   * The environment `env:` credential references and `DOCKER_CONFIG` are read from, and
   * the base environment of credential helpers. Default: `process.env`.
   */
  env?: Record<string, string | undefined>;
  /** Patch a checkout and report the diff (`oldText`/`newText` per file); commit and push nothing. Default: `false`. */
  dryRun?: boolean;
  /** The `fetch` used for registries and the GitHub API. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch, for the report's times and token expiry. Default: `Date.now`. */
  clock?: () => number;
  /** Run only these automations, as `namespace/name`. Default: every automation of the config. */
  automations?: string[];
  /** Called as the cycle goes, for live progress lines. Default: none. */
  onProgress?: (event: ProgressEvent) => void;
  /** Registry client settings passed through to `@tagsmith/registry`. Default: its defaults. */
  registry?: {
    /** Retries of a failing request (`RetryOptions` of the registry client). */
    retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
    /** Limit for one try of one request, in milliseconds. */
    timeoutMs?: number;
  };
  /** Settings of the git side. Default: `@tagsmith/git`'s defaults. */
  git?: {
    /** The base environment of every git command (e.g. `process.env` for `SSH_AUTH_SOCK`). Default: git's own minimal one. */
    env?: Record<string, string | undefined>;
    /** Tries of a push that loses a race (`updateBranch`'s `attempts`). Default: `5`. */
    attempts?: number;
    /** First wait before a retry, in milliseconds. Default: `250`. */
    backoffMs?: number;
    /** `[0, 1)` for the retry jitter. Default: `Math.random`. */
    random?: () => number;
    /** Least time between two GitHub writes (`writeIntervalMs`); `0` against a test server. Default: the throttling plugin's. */
    githubWriteIntervalMs?: number;
  };
}

/** One step of a cycle, for {@link RunOptions.onProgress}. */
export type ProgressEvent =
  | { type: 'tags-listed'; repository: string; image: string; tagCount: number }
  | { type: 'tags-failed'; repository: string; image: string; error: ReportError }
  | { type: 'policy-chosen'; policy: string; tag?: string }
  | { type: 'automation-started'; automation: string }
  | { type: 'automation-finished'; automation: string; status: AutomationStatus };

/** A failure as the report shows it: the code of the primitive that failed and its message (never a secret). */
export interface ReportError {
  /** The failing package's error code, e.g. `UNAVAILABLE` (registry), `PUSH_REJECTED` (git), `CREDENTIAL_UNAVAILABLE`. */
  code: string;
  /** What went wrong, where and what was expected. */
  message: string;
}

/** What one cycle did: {@link runAutomation}'s result. */
export interface AutomationReport {
  /** When the cycle started, ISO 8601. */
  startedAt: string;
  /** When it ended, ISO 8601. */
  finishedAt: string;
  /** Whether it was a dry run (nothing committed or pushed). */
  dryRun: boolean;
  /** Every image repository a selected policy uses, in config order. */
  imageRepositories: ImageRepositoryReport[];
  /** Every policy a selected automation uses, in config order. */
  policies: PolicyReport[];
  /** Every selected automation, in config order. */
  automations: AutomationRunReport[];
}

/** The tag listing of one image repository. */
export type ImageRepositoryReport = {
  /** `namespace/name`. */
  repository: string;
  /** `spec.image`, as written. */
  image: string;
} & ({ status: 'listed'; tagCount: number } | { status: 'failed'; error: ReportError });

/** What one policy chose, and why. */
export interface PolicyReport {
  /** `namespace:name`, as setter markers name it. */
  policy: string;
  /** Its image repository, `namespace/name`. */
  repository: string;
  /**
   * `chosen`: a tag won; `no-candidate`: no tag passed the policy; `failed`: the listing
   * (or the policy itself) failed, so no field of this policy changes.
   */
  status: 'chosen' | 'no-candidate' | 'failed';
  /** The chosen ref (digest filled in per automation, see {@link AutomationPolicyReport}). */
  chosen?: { name: string; tag: string };
  /** The one-line reason the winner won (its `explain` entry), or why nothing did. */
  reason: string;
  /** The policy's `explain` summary. */
  summary: string;
  /** How many tags ended in each `explain` kind (`selected`, `beaten`, `filtered`, …), after exclusions. */
  tagKinds: Partial<Record<TagExplanationKind, number>>;
  /** Tags dropped by the repository's `exclusionList` before the policy saw them. */
  excluded: number;
  /** Why it failed, for `failed`. */
  error?: ReportError;
}

/** What one automation decided for one of its policies. */
export interface AutomationPolicyReport {
  /** `namespace:name`. */
  policy: string;
  /** The values the files held before, per setter field, deduplicated and sorted (`ref`, `tag`, `name`, `digest`). */
  previous: string[];
  /** The ref written (`name:tag`, `@digest` when reflected), absent when the policy was not applied. */
  chosen?: string;
  /**
   * `applied`: its markers were set to `chosen` (maybe already equal); `kept-downgrade`:
   * `allowDowngrade: false` and a field's current tag ranks above the chosen one, so nothing
   * of this policy changed; `unavailable`: the policy has no chosen tag (see the policy report);
   * `failed`: its digest could not be resolved.
   */
  decision: 'applied' | 'kept-downgrade' | 'unavailable' | 'failed';
  /** For `kept-downgrade`: the current tag that outranks the chosen one. */
  keptTag?: string;
  /** For `failed`. */
  error?: ReportError;
}

/** One marked value that changed. */
export interface ReportChange {
  /** The marker's setter, e.g. `flux-system:my-app:tag`. */
  setter: string;
  /** The value before. */
  oldValue: string;
  /** The value after. */
  newValue: string;
  /** 1-based line of the value. */
  line: number;
}

/** One file that changed (or would, in a dry run). */
export interface ReportFile {
  /** Repository-relative path, `/`-separated. */
  path: string;
  /** Its changed values, in file order. */
  changes: ReportChange[];
  /** Dry runs only: the text before. */
  oldText?: string;
  /** Dry runs only: the text after. */
  newText?: string;
}

/**
 * How an automation ended:
 * - `pushed`: a commit is on the remote branch.
 * - `no-change`: every field already held its chosen value (a second cycle with no new tags).
 * - `already-applied`: after a lost race, someone else had pushed the same change.
 * - `left-alone`: the push branch carries commits the automation did not make.
 * - `would-push`: a dry run found changes (nothing was committed).
 * - `failed`: see `error`.
 */
export type AutomationStatus =
  | 'pushed'
  | 'no-change'
  | 'already-applied'
  | 'left-alone'
  | 'would-push'
  | 'failed';

/** What one automation did. */
export interface AutomationRunReport {
  /** `namespace/name`. */
  automation: string;
  /** How it ended. */
  status: AutomationStatus;
  /** The branch published to. */
  branch?: string;
  /** Per policy of the automation, what was decided. */
  policies: AutomationPolicyReport[];
  /** The files changed, sorted by path. */
  files: ReportFile[];
  /** What the setters could not do (bad YAML, a marker on a map), as setters reports them. */
  problems: { path: string; line: number; column: number; kind: string; message: string }[];
  /** The commit made, for `pushed`. */
  commit?: { sha: string; message: string };
  /** The push, for `pushed`: the branch and its head before (absent when created) and after. */
  push?: { branch: string; before?: string; after: string; refspec?: string };
  /** Attempts `updateBranch` made (a lost race is one more). */
  attempts: number;
  /** The pull request opened or updated, for GitHub sources with `pullRequest`. */
  pullRequest?: { number: number; url: string; created: boolean };
  /** For `left-alone`: the commits someone else pushed onto the push branch, newest first. */
  foreignCommits?: string[];
  /** For `failed`. */
  error?: ReportError;
}
