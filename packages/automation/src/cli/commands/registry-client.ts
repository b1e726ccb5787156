// The registry client `tags` and `select --image` share: credentials from the docker
// config named by the command's own environment (DOCKER_CONFIG, else ~/.docker), and the
// `--host NAME=URL` endpoints. It lives apart so `select` loads @tagsmith/registry only
// when `--image` asks for it.

import { dockerConfigCredentials, RegistryClient, RegistryError } from '@tagsmith/registry';
import { ExitCode } from '../exit-codes.js';
import { parseHostFlags } from '../hosts.js';
import type { CliIo } from '../io.js';
import { failWith } from './error-line.js';

/** Every tag of `image`, in the registry's order, or the exit code after a one-line error. */
export async function listImageTags(
  command: string,
  image: string,
  hostFlags: readonly string[] | undefined,
  io: CliIo,
): Promise<string[] | ExitCode> {
  const hosts = Object.fromEntries(
    Object.entries(parseHostFlags(hostFlags)).map(([name, endpoint]) => [name, { endpoint }]),
  );
  try {
    const client = new RegistryClient({
      credentials: dockerConfigCredentials({ env: io.env }),
      hosts,
    });
    return await client.listTags(image, { signal: io.signal });
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    // A reference or --host the client refuses is the caller's mistake; anything
    // the registry or the network answered is the work failing.
    const usage = error.code === 'INVALID_REFERENCE' || error.code === 'INVALID_ARGUMENT';
    return failWith(io, command, error.message, usage ? ExitCode.usage : ExitCode.failed);
  }
}
