// Phase 4 for one automation: open its source, let updateBranch lay out the branch,
// decide the refs and patch with the setters on every attempt, render the message,
// commit and push (with the extra refspec and push options); then the pull request. Every failure of this
// automation ends in its report entry; only an abort is thrown.

import { posix } from 'node:path';
import { type UpdateBranchOptions, updateBranch } from '@tagsmith/git';
import { type TreeUpdate, updateTree } from '@tagsmith/setters';
import { firstLine, pullRequestBody, renderTemplate } from './commit-message.js';
import type { UpdateAutomationConfig } from './config-types.js';
import { signingKey } from './credentials.js';
import { parseSetter, planRefs, type RefPlan, type RefsContext } from './refs.js';
import { reportError } from './report-error.js';
import type { AutomationRunReport, PolicyReport, ReportFile } from './run-types.js';
import { signalOption } from './scan.js';
import { branches, openSource, type SourceContext } from './source.js';
import type { TemplateChange } from './template-data.js';

/** What one automation needs from the cycle. */
export interface AutomateContext extends SourceContext, RefsContext {
  policyReports: ReadonlyMap<string, PolicyReport>;
  /** Every policy key of the config: markers naming one are never `unknown-policy` problems. */
  knownPolicies: ReadonlySet<string>;
  dryRun: boolean;
}

/** One automation's run. */
export async function automate(
  automation: UpdateAutomationConfig,
  index: number,
  context: AutomateContext,
): Promise<AutomationRunReport> {
  const name = `${automation.namespace}/${automation.name}`;
  const report: AutomationRunReport = {
    automation: name,
    status: 'failed',
    policies: [],
    files: [],
    problems: [],
    attempts: 0,
  };
  try {
    const { base, branch } = branches(automation);
    report.branch = branch;
    const source = await openSource(automation, index, context);
    const paths =
      automation.updatePath === '.' || automation.updatePath === ''
        ? {}
        : { paths: [automation.updatePath] };
    let message = '';
    let changes: TemplateChange[] = [];

    const patch = async (dir: string): Promise<string[]> => {
      const plan = await planRefs(dir, automation, context);
      const tree = await updateTree(dir, plan.refs, {
        path: automation.updatePath,
        dryRun: context.dryRun,
        ...signalOption(context.signal),
      });
      record(report, plan, tree, context);
      changes = messageChanges(automation, tree);
      if (tree.files.length > 0)
        message = renderTemplate(automation.messageTemplate, automation, changes);
      return tree.files.map((file) => file.path);
    };

    if (context.dryRun) {
      const workspace = await source.repository.prepare({
        branch,
        base,
        ...paths,
        ...signalOption(context.signal),
      });
      try {
        const files = await patch(workspace.dir);
        report.status = files.length > 0 ? 'would-push' : 'no-change';
        if (files.length > 0) report.commit = { sha: '', message };
      } finally {
        await source.repository.release?.(workspace);
      }
      return report;
    }

    const signing = await signingKey(automation, context.env);
    const options: UpdateBranchOptions = {
      repository: source.repository,
      branch,
      base,
      ...paths,
      apply: (dir) => patch(dir),
      message: () => message,
      author: automation.author,
      ...signalOption(context.signal),
    };
    if (signing !== undefined) options.signing = signing;
    // Flux's push.refspec and push.options; a GitHub source refuses them (it has no push).
    if (automation.push.refspec !== undefined) options.refspec = automation.push.refspec;
    const pushOptions = Object.entries(automation.push.options).map(([key, value]) =>
      value === '' ? key : `${key}=${value}`,
    );
    if (pushOptions.length > 0) options.pushOptions = pushOptions;
    const git = context.options.git;
    if (git?.attempts !== undefined) options.attempts = git.attempts;
    if (git?.backoffMs !== undefined) options.backoffMs = git.backoffMs;
    if (git?.random !== undefined) options.random = git.random;
    if (context.logger !== undefined) options.logger = context.logger;
    const result = await updateBranch(options);
    report.attempts = result.attempts;
    report.status = result.status;
    if (result.status === 'left-alone') report.foreignCommits = result.foreignCommits;
    if (result.status !== 'pushed') return report;

    report.commit = { sha: result.commit.sha, message: result.commit.message };
    report.push = {
      branch: result.push.branch,
      ...(result.push.before === undefined ? {} : { before: result.push.before }),
      after: result.push.after,
      ...(result.push.refspec === undefined ? {} : { refspec: result.push.refspec }),
    };
    const pr = automation.pullRequest;
    if (pr !== undefined && source.github !== undefined) {
      const pull = await source.github.openOrUpdatePullRequest({
        head: branch,
        base: pr.base ?? base,
        title:
          pr.title === undefined
            ? firstLine(message)
            : renderTemplate(pr.title, automation, changes),
        body:
          pr.body === undefined
            ? pullRequestBody(report.policies, context.policyReports, report.files)
            : renderTemplate(pr.body, automation, changes),
        labels: pr.labels,
        ...signalOption(context.signal),
      });
      report.pullRequest = { number: pull.number, url: pull.url, created: pull.created };
    }
    return report;
  } catch (error) {
    if (context.signal?.aborted) throw error;
    report.status = 'failed';
    report.error = reportError(error);
    context.logger?.warn?.(`automation ${name} failed: ${report.error.message}`);
    return report;
  }
}

/** Puts the latest attempt's decisions, files and problems into the report. */
function record(
  report: AutomationRunReport,
  plan: RefPlan,
  tree: TreeUpdate,
  context: AutomateContext,
): void {
  report.policies = plan.decisions;
  report.files = tree.files.map((file) => {
    const entry: ReportFile = {
      path: file.path,
      changes: file.changes.map((change) => ({
        setter: change.setter,
        oldValue: change.oldValue,
        newValue: change.newValue,
        line: change.line,
      })),
    };
    if (file.oldText !== undefined) entry.oldText = file.oldText;
    if (file.newText !== undefined) entry.newText = file.newText;
    return entry;
  });
  // A marker of a policy this cycle holds back (no tag, a kept downgrade, another
  // automation's) is not a problem; only markers naming no policy at all are.
  report.problems = tree.problems
    .filter(
      (problem) =>
        problem.kind !== 'unknown-policy' ||
        problem.setter === undefined ||
        parseSetter(problem.setter, context.knownPolicies) === undefined,
    )
    .map(({ path, line, column, kind, message }) => ({ path, line, column, kind, message }));
  const previous = new Map<string, Set<string>>();
  for (const file of tree.files) {
    for (const change of file.changes) {
      const marker = parseSetter(change.setter, context.knownPolicies);
      if (marker === undefined) continue;
      const values = previous.get(marker.policy) ?? new Set<string>();
      values.add(change.oldValue);
      previous.set(marker.policy, values);
    }
  }
  for (const decision of report.policies) {
    const values = previous.get(decision.policy);
    if (values !== undefined)
      decision.previous = [...new Set([...decision.previous, ...values])].sort();
  }
}

/** The changes as the template data takes them: files relative to `update.path`. */
function messageChanges(automation: UpdateAutomationConfig, tree: TreeUpdate): TemplateChange[] {
  const root = automation.updatePath === '' ? '.' : automation.updatePath;
  const changes: TemplateChange[] = [];
  for (const file of tree.files) {
    const relative = root === '.' ? file.path : posix.relative(root, file.path);
    for (const change of file.changes) {
      const object = change.object;
      changes.push({
        file: relative,
        oldValue: change.oldValue,
        newValue: change.newValue,
        setter: change.setter,
        ...(object?.apiVersion === undefined ? {} : { apiVersion: object.apiVersion }),
        ...(object?.kind === undefined ? {} : { kind: object.kind }),
        ...(object?.name === undefined ? {} : { name: object.name }),
        ...(object?.namespace === undefined ? {} : { namespace: object.namespace }),
      });
    }
  }
  return changes;
}
