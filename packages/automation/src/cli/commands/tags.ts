// tagsmith tags: lists an image repository's tags, one per line (or as a JSON array),
// with the docker config's credentials and --host endpoints; see program.ts for the flags.

import { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { listImageTags } from './registry-client.js';

/** The flags of `tagsmith tags`, as commander parses them. */
export interface TagsCommandOptions {
  /** `NAME=URL` pairs, in order. */
  host?: string[];
  json?: true;
}

/** Prints the tags of `image` in the registry's order; exit 1 when listing fails, 2 on a bad reference. */
export async function tagsCommand(
  image: string,
  options: TagsCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const tags = await listImageTags('tags', image, options.host, io);
  if (!Array.isArray(tags)) return tags;
  if (options.json) io.stdout.write(`${JSON.stringify(tags)}\n`);
  else if (tags.length > 0) io.stdout.write(`${tags.join('\n')}\n`);
  return ExitCode.ok;
}
