// tagsmith select: picks the tag a Flux ImagePolicy would pick from tags on stdin or
// listed with --image, printing the tag alone (for scripts), a table of why each tag
// won or lost (--explain), or JSON; see program.ts for the flags. It loads only
// @tagsmith/policy unless --image needs the registry client: its startup is benchmarked.

import { compilePolicy, type Explanation, type Policy, PolicyError } from '@tagsmith/policy';
import { ExitCode } from '../exit-codes.js';
import { type CliIo, useColor } from '../io.js';
import { createStyle } from '../style.js';
import { failWith } from './error-line.js';
import { renderExplainTable } from './explain-table.js';
import { readLines } from './read-lines.js';
import { policySpec } from './select-spec.js';

/** The flags of `tagsmith select`, as commander parses them. */
export interface SelectCommandOptions {
  semver?: string;
  /** `true` when given without a value (asc). */
  alphabetical?: 'asc' | 'desc' | true;
  numerical?: 'asc' | 'desc' | true;
  pattern?: string;
  extract?: string;
  image?: string;
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  explain?: true;
  json?: true;
}

/** Exit 0 with a tag chosen, 1 when none qualifies, 2 for a bad policy or no input. */
export async function selectCommand(options: SelectCommandOptions, io: CliIo): Promise<ExitCode> {
  let policy: Policy;
  try {
    policy = compilePolicy(policySpec(options));
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return failWith(io, 'select', `${error.message} (${error.code})`, ExitCode.usage);
  }
  const tags = await inputTags(options, io);
  if (!Array.isArray(tags)) return tags;

  if (options.explain || options.json) {
    const explanation = policy.explain(tags);
    if (options.json) {
      io.stdout.write(`${JSON.stringify(jsonResult(explanation, options.explain === true))}\n`);
      return explanation.selected === undefined ? ExitCode.failed : ExitCode.ok;
    }
    io.stdout.write(renderExplainTable(explanation, createStyle(useColor(io.stdout, io.env))));
    return printChoice(explanation.selected, explanation, io);
  }
  try {
    const selected = policy.select(tags);
    // Explaining costs several times a select: only done to say why nothing won.
    return printChoice(selected, selected === undefined ? policy.explain(tags) : undefined, io);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return failWith(io, 'select', `${error.message} (${error.code})`, ExitCode.failed);
  }
}

async function inputTags(options: SelectCommandOptions, io: CliIo): Promise<string[] | ExitCode> {
  if (options.image !== undefined) {
    const { listImageTags } = await import('./registry-client.js');
    return listImageTags('select', options.image, options.host, io);
  }
  if (io.stdin.isTTY === true) {
    return failWith(
      io,
      'select',
      'reads tags from stdin, one per line (pipe them in, e.g. `tagsmith tags IMAGE | tagsmith select ...`), or from --image IMAGE; stdin is a terminal',
      ExitCode.usage,
    );
  }
  return readLines(io.stdin);
}

function printChoice(
  selected: string | undefined,
  explanation: Explanation | undefined,
  io: CliIo,
): ExitCode {
  if (selected !== undefined) {
    io.stdout.write(`${selected}\n`);
    return ExitCode.ok;
  }
  return failWith(io, 'select', explanation?.summary ?? 'no tag selected', ExitCode.failed);
}

function jsonResult(explanation: Explanation, withTags: boolean) {
  return {
    tag: explanation.selected ?? null,
    summary: explanation.summary,
    ...(explanation.error && {
      error: { code: explanation.error.code, message: explanation.error.message },
    }),
    ...(withTags && { tags: explanation.tags }),
  };
}
