// One automation cycle, composed of the primitives: list tags (registry), apply
// exclusions and policies (policy), then per automation decide refs and digests, patch
// (setters), commit and push (git). Each phase lives in its own module; this one
// selects what the cycle covers, runs the phases in order and assembles the report.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { automate } from './automate.js';
import { type Choice, choose, policyKey } from './choose.js';
import type {
  AutomationConfig,
  ImagePolicyConfig,
  UpdateAutomationConfig,
} from './config-types.js';
import { AutomationError } from './errors.js';
import type { AutomationReport, PolicyReport, RunOptions } from './run-types.js';
import { listRepositories, repositoryKey } from './scan.js';

const DEFAULT_CONCURRENCY = 8;

/**
 * Runs one image-update cycle over `config` (from `loadConfig`, or built by hand): lists
 * the tags of every image repository a selected automation's policies use, picks each
 * policy's tag (after the repository's `exclusionList`), resolves digests per
 * `digestReflectionPolicy`, and for each automation patches its checkout under
 * `update.path` with the setters, commits with the rendered message and pushes (opening
 * or updating a pull request for GitHub sources with `pullRequest`). A second run with no
 * new tags makes no commit.
 *
 * One failing registry, policy or automation does not stop the others: each failure is in
 * the report (`status: 'failed'` and `error`), and a policy without a tag changes nothing.
 *
 * @param config - What to run.
 * @param options - See {@link RunOptions}.
 * @returns The report: per image repository, policy and automation what happened.
 * @throws {AutomationError} `INVALID_ARGUMENT` for a config or option that is not what the
 *   types say (an unknown name in `options.automations`), `ABORTED` when `options.signal` fires.
 */
export async function runAutomation(
  config: AutomationConfig,
  options: RunOptions = {},
): Promise<AutomationReport> {
  checkArguments(config, options);
  const clock = options.clock ?? Date.now;
  const startedAt = new Date(clock()).toISOString();
  const { signal, logger } = options;
  const env = options.env ?? process.env;
  throwIfAborted(signal);

  const automations = selectAutomations(config, options.automations);
  const policyConfigs = new Map<string, ImagePolicyConfig>();
  for (const policy of config.imagePolicies) policyConfigs.set(policyKey(policy), policy);
  const usedPolicies = new Set(automations.flatMap((automation) => automation.policies));
  const policies = config.imagePolicies.filter((policy) => usedPolicies.has(policyKey(policy)));
  const usedRepositories = new Set(policies.map((policy) => repositoryKey(policy.imageRepository)));
  const repositories = config.imageRepositories.filter((repository) =>
    usedRepositories.has(repositoryKey(repository)),
  );

  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'tagsmith-automation-')));
  try {
    const scan = await wrapAbort(signal, () =>
      listRepositories(repositories, {
        config,
        env,
        workDir,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        signal,
        logger,
        options,
      }),
    );

    const repositoryConfigs = new Map(config.imageRepositories.map((r) => [repositoryKey(r), r]));
    const failures = new Map(
      scan.reports.flatMap((entry) =>
        entry.status === 'failed' ? [[entry.repository, entry.error]] : [],
      ),
    );
    const choices = new Map<string, Choice>();
    const policyReports = new Map<string, PolicyReport>();
    for (const policy of policies) {
      const key = repositoryKey(policy.imageRepository);
      const choice = choose(
        policy,
        repositoryConfigs.get(key),
        scan.listings.get(key),
        failures.get(key),
      );
      choices.set(policyKey(policy), choice);
      policyReports.set(policyKey(policy), choice.report);
      options.onProgress?.({
        type: 'policy-chosen',
        policy: choice.report.policy,
        ...(choice.report.chosen === undefined ? {} : { tag: choice.report.chosen.tag }),
      });
      logger?.info?.(`policy ${choice.report.policy}: ${choice.report.summary}`);
    }

    const context = {
      env,
      workDir,
      logger,
      signal,
      options,
      choices,
      policyConfigs,
      clients: scan.clients,
      digests: new Map<string, Promise<string>>(),
      policyReports,
      knownPolicies: new Set(policyConfigs.keys()),
      dryRun: options.dryRun === true,
    };
    const reports = [];
    for (const [index, automation] of automations.entries()) {
      throwIfAborted(signal);
      const name = `${automation.namespace}/${automation.name}`;
      options.onProgress?.({ type: 'automation-started', automation: name });
      const report = await wrapAbort(signal, () => automate(automation, index, context));
      options.onProgress?.({
        type: 'automation-finished',
        automation: name,
        status: report.status,
      });
      logger?.info?.(`automation ${name}: ${report.status}`);
      reports.push(report);
    }

    return {
      startedAt,
      finishedAt: new Date(clock()).toISOString(),
      dryRun: context.dryRun,
      imageRepositories: scan.reports,
      policies: [...policyReports.values()],
      automations: reports,
    };
  } finally {
    if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
  }
}

function selectAutomations(
  config: AutomationConfig,
  names: readonly string[] | undefined,
): UpdateAutomationConfig[] {
  if (names === undefined) return config.automations;
  const byName = new Map(config.automations.map((a) => [`${a.namespace}/${a.name}`, a]));
  for (const name of names) {
    if (!byName.has(name)) {
      throw new AutomationError(
        'INVALID_ARGUMENT',
        `options.automations names ${name}, which is not an automation of the config (expected namespace/name, one of: ${[...byName.keys()].join(', ') || 'none'})`,
        { object: name },
      );
    }
  }
  const wanted = new Set(names);
  return config.automations.filter((a) => wanted.has(`${a.namespace}/${a.name}`));
}

function checkArguments(config: AutomationConfig, options: RunOptions): void {
  const bad = (what: string) => new AutomationError('INVALID_ARGUMENT', what);
  if (typeof config !== 'object' || config === null)
    throw bad('config must be an AutomationConfig object');
  for (const field of ['imageRepositories', 'imagePolicies', 'automations'] as const) {
    if (!Array.isArray(config[field])) throw bad(`config.${field} must be an array`);
  }
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  const { concurrency } = options;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw bad(`options.concurrency must be an integer of 1 or more, got ${String(concurrency)}`);
  }
  if (options.signal !== undefined && typeof options.signal?.aborted !== 'boolean') {
    throw bad('options.signal must be an AbortSignal');
  }
  if (options.automations !== undefined && !Array.isArray(options.automations)) {
    throw bad('options.automations must be an array of namespace/name strings');
  }
}

function abortError(signal: AbortSignal): AutomationError {
  return new AutomationError('ABORTED', 'the automation cycle was aborted', {
    cause: signal.reason,
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Runs `step`; whatever it throws once the signal fired becomes one `ABORTED`. */
async function wrapAbort<T>(signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
  try {
    const result = await step();
    throwIfAborted(signal);
    return result;
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw error;
  }
}
