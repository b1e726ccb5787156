// The testkit's refusals of bad names and tags; the grammars are @tagsmith/oci's,
// the same the registry client and setters check.
import { isRepositoryPath, isTag, MAX_NAME_LENGTH } from '@tagsmith/oci';
import { TestkitError } from './errors.js';

/** Throws `INVALID_NAME` unless `name` is a valid repository name. */
export function assertRepositoryName(name: string): void {
  if (!isRepositoryPath(name) || name.length > MAX_NAME_LENGTH) {
    throw new TestkitError(
      'INVALID_NAME',
      `Invalid repository name ${JSON.stringify(name)}: expected lower-case components like "team/app" (OCI name grammar)`,
    );
  }
}

/** Throws `INVALID_TAG` unless `tag` is a valid tag. */
export function assertTag(tag: string): void {
  if (!isTag(tag)) {
    throw new TestkitError(
      'INVALID_TAG',
      `Invalid tag ${JSON.stringify(tag)}: expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}`,
    );
  }
}
