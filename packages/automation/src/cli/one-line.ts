// Messages from the libraries may span lines (a YAML excerpt, a registry's body); the
// CLI prints every error and problem on one line, so scripts and CI logs can grep it.

/** `text` with each line break and the blanks around it folded into one space, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
