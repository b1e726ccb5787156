// The human form of an AutomationReport, what `tagsmith run` prints on stdout: the image
// repositories with their tag counts, each policy's choice with its reason and what the
// files held before, and per automation its outcome, commit message and changed values
// (with --dry-run, the diff of each file). No times, no temporary paths: the same cycle
// prints the same text, so the README shows it verbatim.

import type {
  AutomationReport,
  AutomationRunReport,
  PolicyReport,
  ReportError,
} from '../run-types.js';
import { renderDiff } from './diff.js';
import { oneLine } from './one-line.js';
import type { Style } from './style.js';

/** Options of {@link renderReport}. */
export interface ReportTextOptions {
  style: Style;
  /** Only failures and the automations' outcome lines. Default: `false`. */
  quiet?: boolean;
}

/** The report as text, ending with a newline (empty when quiet and nothing failed or ran). */
export function renderReport(report: AutomationReport, options: ReportTextOptions): string {
  const { style } = options;
  const quiet = options.quiet === true;
  const lines: string[] = [];
  const repositories = report.imageRepositories.filter((r) => !quiet || r.status === 'failed');
  if (repositories.length > 0) lines.push(style.bold('image repositories'));
  for (const repository of repositories) {
    const outcome =
      repository.status === 'listed'
        ? `${repository.tagCount} ${repository.tagCount === 1 ? 'tag' : 'tags'}`
        : style.red(`failed: ${errorLine(repository.error)}`);
    lines.push(`  ${repository.repository}  ${repository.image}  ${outcome}`);
  }
  const policies = report.policies.filter((p) => !quiet || p.status === 'failed');
  if (policies.length > 0) lines.push(style.bold('policies'));
  for (const policy of policies) lines.push(...policyLines(policy, report, style));
  for (const automation of report.automations) {
    lines.push(...automationLines(automation, quiet, style));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function policyLines(policy: PolicyReport, report: AutomationReport, style: Style): string[] {
  const choice =
    policy.status === 'chosen'
      ? style.green(policy.chosen?.tag ?? '')
      : policy.status === 'no-candidate'
        ? style.yellow('no tag')
        : style.red('failed');
  const lines = [`  ${policy.policy}  ${choice}  ${policy.reason}`];
  // A failed listing is already on its repository's line; the policy's reason names it.
  const listingFailed = report.imageRepositories.some(
    (entry) => entry.repository === policy.repository && entry.status === 'failed',
  );
  if (policy.error !== undefined && !listingFailed) {
    lines.push(`    ${style.red(errorLine(policy.error))}`);
  }
  const before = new Set(
    report.automations.flatMap(
      (automation) =>
        automation.policies.find((entry) => entry.policy === policy.policy)?.previous ?? [],
    ),
  );
  if (before.size > 0) lines.push(`    ${style.dim('before:')} ${[...before].join(', ')}`);
  return lines;
}

function automationLines(automation: AutomationRunReport, quiet: boolean, style: Style): string[] {
  const lines = [
    `${style.bold(`automation ${automation.automation}`)}: ${outcome(automation, style)}`,
  ];
  if (automation.status === 'failed' && automation.error !== undefined) return lines;
  if (quiet) return lines;
  for (const decision of automation.policies) {
    if (decision.decision === 'kept-downgrade') {
      lines.push(
        `  ${decision.policy}: kept ${decision.keptTag ?? ''}, which ranks above ${decision.chosen ?? 'the choice'} (allowDowngrade: false)`,
      );
    } else if (decision.decision === 'failed' && decision.error !== undefined) {
      lines.push(`  ${decision.policy}: ${style.red(`failed: ${errorLine(decision.error)}`)}`);
    }
  }
  for (const problem of automation.problems) {
    lines.push(
      `  ${style.yellow('problem')} ${problem.path}:${problem.line}:${problem.column}: ${oneLine(problem.message)} (${problem.kind})`,
    );
  }
  if (automation.pullRequest !== undefined) {
    const { number, url, created } = automation.pullRequest;
    lines.push(`  pull request #${number} ${created ? 'opened' : 'updated'}: ${url}`);
  }
  const message = automation.commit?.message;
  if (message !== undefined) {
    lines.push(`  ${style.dim('commit message:')}`);
    for (const line of message.split('\n')) lines.push(line === '' ? '' : `    ${line}`);
  }
  if (automation.files.length > 0) lines.push(`  ${style.dim('changes:')}`);
  for (const file of automation.files) {
    for (const change of file.changes) {
      lines.push(
        `    ${file.path}:${change.line}  ${change.setter}  ${style.red(shown(change.oldValue))} -> ${style.green(shown(change.newValue))}`,
      );
    }
  }
  for (const file of automation.files) {
    if (file.oldText !== undefined && file.newText !== undefined) {
      lines.push(renderDiff(file.path, file.oldText, file.newText, style).trimEnd());
    }
  }
  return lines;
}

// A cleared `:digest` field is the empty string; print it so the line does not end in a blank.
const shown = (value: string): string => (value === '' ? '""' : value);

function outcome(automation: AutomationRunReport, style: Style): string {
  const branch = automation.branch ?? automation.push?.branch;
  const onBranch = branch === undefined ? '' : ` to ${branch}`;
  switch (automation.status) {
    case 'pushed': {
      const sha = automation.push?.after ?? automation.commit?.sha ?? '';
      return style.green(`pushed ${sha.slice(0, 7)}${onBranch}`);
    }
    case 'no-change':
      return style.dim('no change');
    case 'already-applied':
      return style.dim(`no change (already applied${branch === undefined ? '' : ` on ${branch}`})`);
    case 'would-push':
      return style.yellow(`would push${onBranch} (dry run: nothing written, committed or pushed)`);
    case 'left-alone': {
      const foreign = automation.foreignCommits ?? [];
      const by =
        foreign.length === 0
          ? ''
          : `: ${branch ?? 'the branch'} has ${foreign.length} commit${foreign.length === 1 ? '' : 's'} it did not make (${foreign.map((sha) => sha.slice(0, 7)).join(', ')})`;
      return style.yellow(`left alone${by}`);
    }
    case 'failed':
      return style.red(
        `failed${automation.error === undefined ? '' : `: ${errorLine(automation.error)}`}`,
      );
  }
}

function errorLine(error: ReportError): string {
  return `${error.code}: ${oneLine(error.message)}`;
}
