// The commit message, pull request title and body of an automation's change. The
// message is the automation's Go template over Flux's data; the body, unless a body
// template is configured, is a Markdown table a reviewer reads at a glance.

import { parseCommitTemplate } from './commit-template.js';
import type { UpdateAutomationConfig } from './config-types.js';
import type { AutomationPolicyReport, PolicyReport, ReportFile } from './run-types.js';
import { createTemplateData, type TemplateChange } from './template-data.js';

/**
 * Renders `template` (Go text/template) over Flux's data for `changes` of `automation`.
 * `.Updated` works for v1beta1 and v1beta2 automations and is Flux's error under v1.
 *
 * @throws AutomationError `TEMPLATE_PARSE` or `TEMPLATE_EXEC`, reported as the automation's error.
 */
export function renderTemplate(
  template: string,
  automation: UpdateAutomationConfig,
  changes: readonly TemplateChange[],
): string {
  const data = createTemplateData({
    automation: { namespace: automation.namespace, name: automation.name },
    values: automation.messageTemplateValues,
    changes,
  });
  return parseCommitTemplate(template, { apiVersion: automation.apiVersion }).render(data);
}

/** The first line of a commit message: the default pull request title. */
export function firstLine(message: string): string {
  return message.trimStart().split('\n', 1)[0]?.trimEnd() ?? '';
}

/** Markdown table cells cannot hold `|` or line breaks. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}

/**
 * The default pull request body: per applied policy its image, old → new and the one-line
 * reason the policy gave, then the files changed.
 */
export function pullRequestBody(
  decisions: readonly AutomationPolicyReport[],
  policies: ReadonlyMap<string, PolicyReport>,
  files: readonly ReportFile[],
): string {
  const lines = ['| Policy | Image | Change | Why |', '| --- | --- | --- | --- |'];
  for (const decision of decisions) {
    if (decision.decision !== 'applied' || decision.previous.length === 0) continue;
    const report = policies.get(decision.policy);
    const image = report?.chosen?.name ?? '';
    lines.push(
      `| ${cell(decision.policy)} | ${cell(image)} | ${cell(decision.previous.join(', '))} → ${cell(decision.chosen ?? '')} | ${cell(report?.reason ?? '')} |`,
    );
  }
  lines.push('', 'Files changed:', '');
  for (const file of files) lines.push(`- \`${file.path}\` (${file.changes.length})`);
  return `${lines.join('\n')}\n`;
}
