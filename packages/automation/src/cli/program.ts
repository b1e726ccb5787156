// The command table of `tagsmith`: every command, flag and help example, parsed by
// commander. Each action imports its command's module only when it runs, so
// `tagsmith --version` loads commander and nothing of the libraries, and `select`
// loads @tagsmith/policy alone (startup is measured by test/bench/cli.bench.mjs).

import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { CheckCommandOptions } from './commands/check.js';
import type { RunCommandOptions } from './commands/run.js';
import type { SelectCommandOptions } from './commands/select.js';
import type { TagsCommandOptions } from './commands/tags.js';
import type { UpdateCommandOptions } from './commands/update.js';
import { ExitCode, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';

// Repeatable flags. `previous` is undefined for the first value of a flag without a
// default (--host, and --set, whose requiredOption check needs it to start undefined).
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const HOST_OPTION = [
  '--host <name=url>',
  'serve registry NAME from endpoint URL, e.g. registry.example.com=http://127.0.0.1:5000 (repeatable)',
] as const;

function version(): string {
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}\n`;
}

function buildProgram(io: CliIo, finish: (code: ExitCode) => void): Command {
  const program = new Command('tagsmith')
    .description(
      "Flux's image automation outside Kubernetes: list tags, pick one, patch YAML, push.",
    )
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line: commander's `error: …` and its `(Did you mean …?)` hint, named for tagsmith.
      outputError: (text, write) =>
        write(
          `tagsmith: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (see --help)\n`,
        ),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `${examples([
        'tagsmith run ./flux --host registry.example.com=http://127.0.0.1:5000',
        'tagsmith check tagsmith.yaml',
        "tagsmith select --semver '>=1.0 <2' < tags.txt",
      ])}
Exit codes: 0 done, 1 the work failed, 2 usage or config error.
Colors follow NO_COLOR and FORCE_COLOR; credentials come from DOCKER_CONFIG (default ~/.docker).
`,
    );

  program
    .command('run')
    .description(
      'run one automation cycle (or one every --interval): list, choose, patch, commit, push',
    )
    .argument('[config]', 'a tagsmith.yaml or a directory of Flux manifests', '.')
    .option(...HOST_OPTION, collect)
    .option('--dry-run', 'print the diff; write, commit and push nothing')
    .option('--json', 'print the report as JSON (one line per cycle with --interval)')
    .option(
      '--interval <duration>',
      'run a cycle every DURATION (Go syntax: 30s, 5m, 1h30m) until SIGINT/SIGTERM',
    )
    .option('--automation <namespace/name>', 'run only this automation (repeatable)', collect, [])
    .option('-q, --quiet', 'print no progress, only failures and the outcome')
    .addHelpText(
      'after',
      `${examples([
        'tagsmith run                      # the tagsmith.yaml or Flux manifests in .',
        'tagsmith run ./clusters/prod --host registry.example.com=http://127.0.0.1:5000',
        'tagsmith run tagsmith.yaml --dry-run',
        'tagsmith run --interval 5m --json >> cycles.ndjson',
      ])}
Exit codes: 0 nothing failed (pushed, no change, would push, left alone), 1 an image repository,
policy or automation failed, 2 a usage or config error (nothing ran).
With --interval the config is reloaded each cycle and a failing cycle does not stop the loop;
SIGINT or SIGTERM abandons the cycle in progress (nothing half-written) or ends the wait, and the
exit code is that of the last cycle that finished (0 if none did). Without --interval, a
cycle stopped by a signal exits 1.
`,
    )
    .action(async (config: string, options: RunCommandOptions) => {
      const { runCommand } = await import('./commands/run.js');
      finish(await runCommand(config, options, io));
    });

  program
    .command('check')
    .description('validate the config, the manifests and every template, with no network')
    .argument('[config]', 'a tagsmith.yaml or a directory of Flux manifests', '.')
    .option('--json', 'print the problems as JSON')
    .option('-q, --quiet', 'print only the problems')
    .addHelpText(
      'after',
      examples([
        'tagsmith check',
        'tagsmith check ./clusters/prod/flux-system',
        'tagsmith check tagsmith.yaml --json',
      ]),
    )
    .action(async (config: string, options: CheckCommandOptions) => {
      const { checkCommand } = await import('./commands/check.js');
      finish(await checkCommand(config, options, io));
    });

  program
    .command('tags')
    .description("list an image repository's tags (credentials from the docker config)")
    .argument('<image>', 'the repository, e.g. ghcr.io/fluxcd/source-controller')
    .option(...HOST_OPTION, collect)
    .option('--json', 'print the tags as a JSON array')
    .addHelpText(
      'after',
      examples([
        'tagsmith tags ghcr.io/stefanprodan/podinfo',
        'tagsmith tags registry.example.com/my-app --host registry.example.com=http://127.0.0.1:5000',
        "tagsmith tags docker.io/library/nginx --json | jq 'length'",
      ]),
    )
    .action(async (image: string, options: TagsCommandOptions) => {
      const { tagsCommand } = await import('./commands/tags.js');
      finish(await tagsCommand(image, options, io));
    });

  program
    .command('select')
    .description(
      'pick the tag a Flux ImagePolicy would pick, from tags on stdin (one per line) or --image',
    )
    .addOption(
      new Option('--semver <range>', 'the highest version in RANGE, e.g. ">=1.0 <2"').conflicts([
        'alphabetical',
        'numerical',
      ]),
    )
    .addOption(
      new Option(
        '--alphabetical [order]',
        'the last tag in alphabetical order (asc, the default) or the first (desc)',
      )
        .choices(['asc', 'desc'])
        .conflicts(['numerical']),
    )
    .addOption(
      new Option(
        '--numerical [order]',
        'the largest number (asc, the default) or the smallest (desc)',
      ).choices(['asc', 'desc']),
    )
    .option(
      '--pattern <regex>',
      'keep only tags matching REGEX (RE2 syntax), like filterTags.pattern',
    )
    .option(
      '--extract <template>',
      'compare the text built from the match, e.g. $ts or $1, like filterTags.extract',
    )
    .option('--image <image>', 'list the tags of IMAGE instead of reading stdin')
    .option(...HOST_OPTION, collect)
    .option('--explain', 'print why each tag won or lost')
    .option('--json', 'print the result (and with --explain, every tag) as JSON')
    .addHelpText(
      'after',
      `${examples([
        "printf '1.0.0\\n1.2.0\\n2.0.0\\n' | tagsmith select --semver '>=1.0 <2'",
        "tagsmith select --image ghcr.io/stefanprodan/podinfo --semver '6.x' --explain",
        "tagsmith select --numerical --pattern '^main-[a-f0-9]+-(?P<ts>[0-9]+)$' --extract '$ts' < tags.txt",
      ])}
Exactly one of --semver, --alphabetical and --numerical. Exit code 1 when no tag qualifies.
`,
    )
    .action(async (options: SelectCommandOptions) => {
      const { selectCommand } = await import('./commands/select.js');
      finish(await selectCommand(options, io));
    });

  program
    .command('update')
    .description('set the fields whose setter markers name a policy, in every YAML file under DIR')
    .argument('<dir>', 'the directory to patch (symlinks out of it are not followed)')
    .requiredOption(
      '--set <namespace:name=image:tag[@digest]>',
      'the ref for the policy NAMESPACE:NAME (repeatable)',
      collect,
    )
    .option('--dry-run', 'print the diff and write nothing')
    .option('--json', 'print the changes as JSON')
    .option('-q, --quiet', 'print only problems')
    .addHelpText(
      'after',
      examples([
        'tagsmith update ./apps --set flux-system:my-app=registry.example.com/my-app:1.9.0',
        'tagsmith update . --set apps:web=ghcr.io/acme/web:2.1.0@sha256:<64 hex> --dry-run',
      ]),
    )
    .action(async (dir: string, options: UpdateCommandOptions) => {
      const { updateCommand } = await import('./commands/update.js');
      finish(await updateCommand(dir, options, io));
    });

  return program;
}

/**
 * Runs `tagsmith` with `args` (argv without node and the script) and resolves to its
 * exit code. Usage errors print one line on stderr and resolve to 2; nothing throws.
 */
export async function runCli(args: string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = ExitCode.ok;
  const program = buildProgram(io, (result) => {
    code = result;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0; commander has printed them.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`tagsmith: ${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}
