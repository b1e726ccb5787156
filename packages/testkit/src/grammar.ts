import { TestkitError } from './errors.js';

/** One path component of a repository name, as in the OCI distribution spec. */
const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';

/** Source of the OCI repository-name grammar, for building route patterns. */
export const NAME_PATTERN = `${COMPONENT}(?:/${COMPONENT})*`;

const NAME_RE = new RegExp(`^${NAME_PATTERN}$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/** Whether `tag` is a valid tag. */
export function isTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** Whether `value` is a sha256 digest (`sha256:` and 64 lower-case hex digits). */
export function isDigest(value: string): boolean {
  return DIGEST_RE.test(value);
}

/** Throws `INVALID_NAME` unless `name` is a valid repository name. */
export function assertRepositoryName(name: string): void {
  if (!NAME_RE.test(name) || name.length > 255) {
    throw new TestkitError(
      'INVALID_NAME',
      `Invalid repository name ${JSON.stringify(name)}: expected lower-case components like "team/app" (OCI name grammar)`,
    );
  }
}

/** Throws `INVALID_TAG` unless `tag` is a valid tag. */
export function assertTag(tag: string): void {
  if (!TAG_RE.test(tag)) {
    throw new TestkitError(
      'INVALID_TAG',
      `Invalid tag ${JSON.stringify(tag)}: expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}`,
    );
  }
}
