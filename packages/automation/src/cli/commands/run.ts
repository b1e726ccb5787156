// tagsmith run: see program.ts for its flags and help. One cycle is loadConfig, then
// runAutomation with progress on stderr, then the report on stdout (text or --json);
// --interval repeats that, reloading the config each time so edits apply, until the
// first SIGINT/SIGTERM, which abandons the cycle at its next step or ends the wait.

import type { AutomationConfig } from '../../config-types.js';
import { AutomationError } from '../../errors.js';
import { loadConfig } from '../../load-config.js';
import { runAutomation } from '../../run.js';
import type { AutomationReport } from '../../run-types.js';
import { parseDuration } from '../duration.js';
import { ExitCode } from '../exit-codes.js';
import { parseHostFlags } from '../hosts.js';
import { type CliIo, useColor } from '../io.js';
import { printProblems } from '../problems.js';
import { createProgress, type Progress, type ProgressTargets } from '../progress.js';
import { renderReport } from '../report-text.js';
import { createStyle, type Style } from '../style.js';
import { waitFor } from '../wait.js';
import { failWith } from './error-line.js';

/** The flags of `tagsmith run`, as commander parses them. */
export interface RunCommandOptions {
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  dryRun?: true;
  json?: true;
  interval?: string;
  automation?: string[];
  quiet?: true;
}

/** How a cycle ended: its exit code, or `aborted` when the signal cut it short. */
type CycleResult = ExitCode | 'aborted';

/**
 * Runs one cycle, or with `--interval` one per interval until `io.signal` aborts. Resolves
 * to the exit code of the last cycle that finished (0 when a stop came before any did).
 */
export async function runCommand(
  config: string,
  options: RunCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const hosts = parseHostFlags(options.host);
  const intervalMs = options.interval === undefined ? undefined : parseDuration(options.interval);
  const cycle = new Cycle(config, options, io, hosts);
  if (intervalMs === undefined) {
    const result = await cycle.run(true);
    if (result !== 'aborted') return result;
    // One cycle asked for and not done: a script must not take that for success.
    io.stderr.write(`tagsmith run: ${reason(io.signal)}; the cycle was abandoned\n`);
    return ExitCode.failed;
  }
  let last: ExitCode = ExitCode.ok;
  let first = true;
  while (!io.signal.aborted) {
    const result = await cycle.run(first);
    if (result === 'aborted') break;
    // A config that never loaded is a usage error; after a first good cycle it is one
    // more failing cycle, and the loop goes on with the next edit.
    if (first && result === ExitCode.usage) return result;
    first = false;
    last = result;
    await waitFor(intervalMs, io.signal);
  }
  return last;
}

/** One cycle at a time; `run` resolves to 2 only when the config (or `--automation`) is unusable. */
class Cycle {
  private readonly outStyle: Style;
  private readonly errStyle: Style;

  constructor(
    private readonly path: string,
    private readonly options: RunCommandOptions,
    private readonly io: CliIo,
    private readonly hosts: Record<string, string>,
  ) {
    this.outStyle = createStyle(options.json !== true && useColor(io.stdout, io.env));
    this.errStyle = createStyle(useColor(io.stderr, io.env));
  }

  async run(first: boolean): Promise<CycleResult> {
    const { io, options } = this;
    const config = await this.load();
    if (config === 'aborted') return 'aborted';
    if (config === undefined || !this.automationsExist(config)) return ExitCode.usage;
    const progress = this.progress(config);
    let report: AutomationReport;
    try {
      report = await runAutomation(config, {
        signal: io.signal,
        env: io.env,
        ...(options.dryRun === true ? { dryRun: true } : {}),
        ...(options.automation === undefined || options.automation.length === 0
          ? {}
          : { automations: options.automation }),
        ...(progress === undefined ? {} : { onProgress: (event) => progress.onProgress(event) }),
        // The caller's environment, so GIT_AUTHOR_DATE/GIT_COMMITTER_DATE (reproducible
        // commits) and SSH_AUTH_SOCK (an ssh agent) reach git.
        git: { env: io.env },
      });
    } catch (error) {
      if (error instanceof AutomationError && error.code === 'ABORTED') return 'aborted';
      if (error instanceof AutomationError) {
        // INVALID_CONFIG (nothing runnable) and INVALID_ARGUMENT: the config, not the cycle.
        return failWith(io, 'run', error.message, ExitCode.usage);
      }
      throw error;
    } finally {
      progress?.finish();
    }
    this.print(report, first);
    return exitCodeOf(report);
  }

  /** The config, `undefined` after printing why it cannot run, or `aborted`. */
  private async load(): Promise<AutomationConfig | undefined | 'aborted'> {
    const { io } = this;
    let config: AutomationConfig;
    try {
      config = await loadConfig(this.path, {
        hosts: this.hosts,
        cwd: io.cwd,
        env: io.env,
        signal: io.signal,
      });
    } catch (error) {
      if (error instanceof AutomationError && error.code === 'ABORTED') return 'aborted';
      if (error instanceof AutomationError) {
        failWith(io, 'run', error.message, ExitCode.usage);
        return undefined;
      }
      throw error;
    }
    const { errors } = printProblems(
      config.problems,
      (text) => io.stderr.write(text),
      this.errStyle,
    );
    return errors > 0 ? undefined : config;
  }

  /** Whether every `--automation` names one of the config's (says which does not). */
  private automationsExist(config: AutomationConfig): boolean {
    const names = config.automations.map(
      (automation) => `${automation.namespace}/${automation.name}`,
    );
    const unknown = (this.options.automation ?? []).filter((name) => !names.includes(name));
    if (unknown.length === 0) return true;
    this.io.stderr.write(
      `tagsmith run: --automation ${unknown.join(', ')}: not an automation of ${this.path} (expected namespace/name, one of: ${names.join(', ') || 'none'})\n`,
    );
    return false;
  }

  private progress(config: AutomationConfig): Progress | undefined {
    const { io, options } = this;
    const live = io.stderr.isTTY === true;
    if (options.quiet === true || (options.json === true && !live)) return undefined;
    return createProgress(io.stderr, progressTargets(config, options.automation), {
      live,
      style: this.errStyle,
    });
  }

  private print(report: AutomationReport, first: boolean): void {
    const { io, options } = this;
    if (options.json === true) {
      io.stdout.write(
        options.interval === undefined
          ? `${JSON.stringify(report, null, 2)}\n`
          : `${JSON.stringify(report)}\n`,
      );
      return;
    }
    const text = renderReport(report, {
      style: this.outStyle,
      ...(options.quiet === true ? { quiet: true } : {}),
    });
    // Cycles of --interval are told apart by a blank line.
    if (text !== '') io.stdout.write(first || options.quiet === true ? text : `\n${text}`);
  }
}

/** 1 when any image repository, policy or automation failed; 0 otherwise. */
export function exitCodeOf(report: AutomationReport): ExitCode {
  const failed =
    report.imageRepositories.some((entry) => entry.status === 'failed') ||
    report.policies.some((entry) => entry.status === 'failed') ||
    report.automations.some((entry) => entry.status === 'failed');
  return failed ? ExitCode.failed : ExitCode.ok;
}

/** The repositories and automations a cycle will cover, for the live lines it starts with. */
function progressTargets(
  config: AutomationConfig,
  only: readonly string[] | undefined,
): ProgressTargets {
  const selected = config.automations.filter(
    (automation) =>
      only === undefined ||
      only.length === 0 ||
      only.includes(`${automation.namespace}/${automation.name}`),
  );
  const policies = new Set(selected.flatMap((automation) => automation.policies));
  const repositories = new Set(
    config.imagePolicies
      .filter((policy) => policies.has(`${policy.namespace}:${policy.name}`))
      .map((policy) => `${policy.imageRepository.namespace}/${policy.imageRepository.name}`),
  );
  return {
    repositories: config.imageRepositories
      .filter((repository) => repositories.has(`${repository.namespace}/${repository.name}`))
      .map((repository) => ({
        repository: `${repository.namespace}/${repository.name}`,
        image: repository.image,
      })),
    automations: selected.map((automation) => `${automation.namespace}/${automation.name}`),
  };
}

function reason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'stopped';
}
