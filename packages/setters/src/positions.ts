/** Maps string offsets to 1-based line and column, the way editors count them. */
export class LineIndex {
  readonly #starts: number[] = [0];

  /** `text` without a byte-order mark: callers strip it, so columns never count it. */
  constructor(text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.#starts.push(at + 1);
    }
  }

  /** 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.#starts[this.position(offset).line - 1]!;
  }
}
