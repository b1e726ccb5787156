// The commit message, pull request title and body of an automation's change. The
// message is the automation's Go template over Flux's data; the body, unless a body
// template is configured, is a Markdown table a reviewer reads at a glance.

import type { UpdateAutomationConfig } from './config-types.js';
import { AutomationError } from './errors.js';
import type { AutomationPolicyReport, PolicyReport, ReportFile } from './run-types.js';

/** One change as the template data takes it: `file` relative to `update.path`. */
export interface MessageChange {
  file: string;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  oldValue: string;
  newValue: string;
  setter: string;
}

/**
 * Renders `template` over the data of `changes` for `automation`. Until the Go template
 * engine (branch automation-template) is merged, only templates without actions render
 * (`changes` is then unused); a template with `{{` fails with TEMPLATE_EXEC, reported
 * as the automation's error.
 */
export function renderTemplate(
  template: string,
  automation: UpdateAutomationConfig,
  _changes: readonly MessageChange[],
): string {
  if (template.includes('{{')) {
    throw new AutomationError(
      'TEMPLATE_EXEC',
      `automation ${automation.namespace}/${automation.name}: the template engine is not merged yet`,
    );
  }
  return template;
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
