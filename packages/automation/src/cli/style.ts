// ANSI colors for terminals, and nothing otherwise: a Style with `enabled: false`
// returns its input unchanged, so callers format once and never branch.

type Paint = (text: string) => string;

/** The few colors the CLI uses; {@link createStyle} decides whether they paint. */
export interface Style {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const paint =
  (enabled: boolean, open: number, close: number): Paint =>
  (text) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** A Style that colors when `enabled` (see `useColor`). */
export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: paint(enabled, 1, 22),
    dim: paint(enabled, 2, 22),
    red: paint(enabled, 31, 39),
    green: paint(enabled, 32, 39),
    yellow: paint(enabled, 33, 39),
    cyan: paint(enabled, 36, 39),
  };
}
