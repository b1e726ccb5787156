/** The tag grammar of the OCI distribution spec, for messages that quote it. */
export const TAG_GRAMMAR = '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}';

const MAX_TAG_LENGTH = 128;

/**
 * Whether `value` is a tag: {@link TAG_GRAMMAR}. A char-code loop rather than
 * the regex: the registry client checks every tag of every tag-list page, and
 * the regex costs several times as much on a 100-tag page. The unit tests hold
 * it to the regex.
 */
export function isTag(value: string): boolean {
  if (value.length === 0 || value.length > MAX_TAG_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const alphanumeric =
      (code >= 0x30 && code <= 0x39) || // 0-9
      (code >= 0x41 && code <= 0x5a) || // A-Z
      (code >= 0x61 && code <= 0x7a) || // a-z
      code === 0x5f; // _
    // `.` and `-` may follow the first character but not start a tag.
    if (!alphanumeric && (i === 0 || (code !== 0x2e && code !== 0x2d))) return false;
  }
  return true;
}
