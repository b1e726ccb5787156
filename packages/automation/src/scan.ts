// Phase 1: the tags of every image repository the cycle needs, a bounded number of
// listings in flight. One client per credential source (the docker config, or each
// repository's own reference), because a registry client asks its provider by
// registry host only and two repositories on one host may use different secrets.
// A listing that fails is a result, not an exception: its policies make no change.

import { parseReference, RegistryClient, type RegistryClientOptions } from '@tagsmith/registry';
import type { AutomationConfig, ImageRepositoryConfig } from './config-types.js';
import { dockerCredentials, registryCredentials } from './credentials.js';
import type { Logger } from './logger.js';
import { mapWithLimit } from './pool.js';
import { reportError } from './report-error.js';
import type { ImageRepositoryReport, RunOptions } from './run-types.js';

/** The tags of one repository, or why there are none. */
export type Listing = { tags: string[] } | { error: ImageRepositoryReport & { status: 'failed' } };

/** What {@link listRepositories} needs besides the repositories. */
export interface ScanContext {
  config: AutomationConfig;
  env: Record<string, string | undefined>;
  workDir: string;
  concurrency: number;
  signal: AbortSignal | undefined;
  logger: Logger | undefined;
  options: RunOptions;
}

/** `namespace/name` of a repository. */
export function repositoryKey(repository: { namespace: string; name: string }): string {
  return `${repository.namespace}/${repository.name}`;
}

/** Lists every repository's tags; resolves in input order with a report entry each. */
export async function listRepositories(
  repositories: readonly ImageRepositoryConfig[],
  context: ScanContext,
): Promise<{
  listings: Map<string, string[]>;
  reports: ImageRepositoryReport[];
  clients: Map<string, RegistryClient>;
}> {
  const base = clientOptions(context);
  const dockerClient = new RegistryClient({
    ...base,
    credentials: dockerCredentials(context.config.dockerConfig, context.env),
  });
  const listings = new Map<string, string[]>();
  const clients = new Map<string, RegistryClient>();
  const reports = await mapWithLimit(repositories, context.concurrency, async (repository) => {
    const key = repositoryKey(repository);
    try {
      const client =
        repository.credentials === undefined
          ? dockerClient
          : new RegistryClient({
              ...base,
              insecureRegistries: insecureHosts([repository]),
              credentials: await registryCredentials(repository.credentials, context),
            });
      clients.set(key, client);
      const tags = await client.listTags(repository.image, signalOption(context.signal));
      listings.set(key, tags);
      context.logger?.info?.(`${key}: ${tags.length} tags in ${repository.image}`);
      context.options.onProgress?.({
        type: 'tags-listed',
        repository: key,
        image: repository.image,
        tagCount: tags.length,
      });
      return {
        repository: key,
        image: repository.image,
        status: 'listed',
        tagCount: tags.length,
      } as const;
    } catch (error) {
      if (context.signal?.aborted) throw error;
      const reported = reportError(error);
      context.logger?.warn?.(`${key}: listing ${repository.image} failed: ${reported.message}`);
      context.options.onProgress?.({
        type: 'tags-failed',
        repository: key,
        image: repository.image,
        error: reported,
      });
      return {
        repository: key,
        image: repository.image,
        status: 'failed',
        error: reported,
      } as const;
    }
  });
  return { listings, reports, clients };

  function clientOptions(ctx: ScanContext): RegistryClientOptions {
    const options: RegistryClientOptions = {
      hosts: ctx.config.hosts,
      insecureRegistries: insecureHosts(repositories),
    };
    if (ctx.logger !== undefined) options.logger = ctx.logger;
    if (ctx.options.fetch !== undefined) options.fetch = ctx.options.fetch;
    if (ctx.options.clock !== undefined) options.clock = ctx.options.clock;
    if (ctx.options.registry?.retry !== undefined) options.retry = ctx.options.registry.retry;
    if (ctx.options.registry?.timeoutMs !== undefined)
      options.timeoutMs = ctx.options.registry.timeoutMs;
    return options;
  }
}

/** The registry hosts of repositories marked `insecure` (Flux's `spec.insecure`: plain HTTP). */
function insecureHosts(repositories: readonly ImageRepositoryConfig[]): string[] {
  const hosts = new Set<string>();
  for (const repository of repositories) {
    if (!repository.insecure) continue;
    try {
      hosts.add(parseReference(repository.image).registry);
    } catch {
      // A bad reference fails its own listing, which reports it.
    }
  }
  return [...hosts];
}

/** `{ signal }` when there is one (exactOptionalPropertyTypes). */
export function signalOption(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal === undefined ? {} : { signal };
}
