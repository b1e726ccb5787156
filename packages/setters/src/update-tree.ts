// The public entry of the tree patcher. The walk, the reads and the writes live
// in tree-update.ts; keeping them out of this module keeps their internal
// types (byte paths are Node Buffers) out of the published declarations, so a
// consumer without @types/node can still type-check against updateTree.
import { RUNTIME, updateTreeWith } from './tree-update.js';
import type { Policies, TreeUpdate, UpdateTreeOptions } from './types.js';

/**
 * Sets every marked value under `root/path` to what its policy selects. Only
 * files whose values change are written, each atomically and keeping its mode;
 * everything that stopped an update is returned in `problems`.
 *
 * @throws {SettersError} `PATH_OUTSIDE_ROOT` when `path` leaves the root, `ABORTED`
 * when `signal` fires, `IO` when the file system fails, `INVALID_ARGUMENT` when
 * `root`, `policies` or an option is not what the types say (the message names it),
 * `INVALID_REF` when a ref in `policies` is invalid (checked before any file is read).
 *
 * @example
 * const { files, problems } = await updateTree('./clusters', policies, { path: 'prod', dryRun: true });
 */
export function updateTree(
  root: string,
  policies: Policies,
  options: UpdateTreeOptions = {},
): Promise<TreeUpdate> {
  return updateTreeWith(RUNTIME, root, policies, options);
}
