// Tags piped to `select`: the whole of stdin, one tag per line, trimmed, blank lines
// skipped (so CRLF files and `tagsmith tags` output both work). Read as bytes and
// decoded once, so a multi-byte character split across chunks stays whole.

/** The non-empty trimmed lines of `stream`, read to its end. */
export async function readLines(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const lines: string[] = [];
  for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
    const tag = line.trim();
    if (tag !== '') lines.push(tag);
  }
  return lines;
}
