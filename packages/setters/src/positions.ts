/** Maps string offsets to 1-based line and column, the way editors count them. */
export class LineIndex {
  readonly #starts: number[] = [0];
  readonly #bom: boolean;

  constructor(text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.#starts.push(at + 1);
    }
    this.#bom = text.charCodeAt(0) === 0xfeff;
  }

  /** 1-based line and column of `offset`; a leading byte-order mark is not a column. */
  position(offset: number): { line: number; column: number } {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    const start = low === 0 && this.#bom ? 1 : starts[low]!;
    return { line: low + 1, column: Math.max(offset - start, 0) + 1 };
  }

  /** The offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.#starts[this.position(offset).line - 1]!;
  }
}
