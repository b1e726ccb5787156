// Progress of a cycle on stderr. On a terminal: one live line per image repository and per
// automation, redrawn in place (cursor up, erase line) as runAutomation's ProgressEvents
// arrive, with a spinner on the lines still at work; finish() leaves each line's final
// state, shows the cursor again and ends on a newline. Anywhere else: one plain line per
// event and not a single escape code, so logs and CI output stay readable.

import type { ProgressEvent } from '../run-types.js';
import type { CliOutput } from './io.js';
import type { Style } from './style.js';

/** The lines a live display starts with, in report order. */
export interface ProgressTargets {
  repositories: { repository: string; image: string }[];
  automations: string[];
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Redraw lines in place (a terminal) instead of printing one line per event. */
  live: boolean;
  style: Style;
  /** Milliseconds between spinner frames on a live display; `0` turns the timer off. Default: `80`. */
  frameMs?: number;
}

/** Takes a cycle's events; call {@link Progress.finish} once the cycle is over, however it ended. */
export interface Progress {
  onProgress(event: ProgressEvent): void;
  finish(): void;
}

type LineState = 'waiting' | 'working' | 'done' | 'failed' | 'stopped';

interface Line {
  name: string;
  state: LineState;
  text: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ESC = '\u001b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const ERASE_LINE = `${ESC}2K`;
const FAILED_STATUSES = new Set(['failed']);

/** A progress display on `stream` for one cycle over `targets`. */
export function createProgress(
  stream: CliOutput,
  targets: ProgressTargets,
  options: ProgressOptions,
): Progress {
  return options.live
    ? new LiveProgress(stream, targets, options)
    : { onProgress: (event) => stream.write(`${plainLine(event)}\n`), finish: () => {} };
}

function plainLine(event: ProgressEvent): string {
  switch (event.type) {
    case 'tags-listed':
      return `listed ${event.repository} (${event.image}): ${event.tagCount} tags`;
    case 'tags-failed':
      return `listing ${event.repository} (${event.image}) failed: ${event.error.code}`;
    case 'policy-chosen':
      return `policy ${event.policy}: ${event.tag ?? 'no tag'}`;
    case 'automation-started':
      return `automation ${event.automation}: started`;
    case 'automation-finished':
      return `automation ${event.automation}: ${event.status}`;
  }
}

class LiveProgress implements Progress {
  private readonly lines = new Map<string, Line>();
  private readonly style: Style;
  private frame = 0;
  private painted = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private finished = false;

  constructor(
    private readonly stream: CliOutput,
    targets: ProgressTargets,
    options: ProgressOptions,
  ) {
    this.style = options.style;
    for (const { repository, image } of targets.repositories) {
      this.lines.set(`repository ${repository}`, {
        name: repository,
        state: 'working',
        text: `listing tags of ${image}`,
      });
    }
    for (const automation of targets.automations) {
      this.lines.set(`automation ${automation}`, {
        name: automation,
        state: 'waiting',
        text: 'waiting',
      });
    }
    const frameMs = options.frameMs ?? 80;
    if (frameMs > 0) {
      this.timer = setInterval(() => {
        this.frame += 1;
        this.paint();
      }, frameMs);
      // A spinner must never keep the process alive.
      this.timer.unref?.();
    }
    this.stream.write(HIDE_CURSOR);
    this.paint();
  }

  onProgress(event: ProgressEvent): void {
    if (this.finished) return;
    switch (event.type) {
      case 'tags-listed':
        this.set(
          `repository ${event.repository}`,
          event.repository,
          'done',
          `${event.tagCount} tags`,
        );
        break;
      case 'tags-failed':
        this.set(
          `repository ${event.repository}`,
          event.repository,
          'failed',
          `failed: ${event.error.code}`,
        );
        break;
      case 'policy-chosen':
        return;
      case 'automation-started':
        this.set(`automation ${event.automation}`, event.automation, 'working', 'running');
        break;
      case 'automation-finished':
        this.set(
          `automation ${event.automation}`,
          event.automation,
          FAILED_STATUSES.has(event.status) ? 'failed' : 'done',
          event.status,
        );
        break;
    }
    this.paint();
  }

  finish(): void {
    if (this.finished) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const line of this.lines.values()) {
      if (line.state === 'working' || line.state === 'waiting') {
        line.state = 'stopped';
        line.text = `${line.text} (stopped)`;
      }
    }
    this.paint();
    this.finished = true;
    this.stream.write(SHOW_CURSOR);
  }

  private set(key: string, name: string, state: LineState, text: string): void {
    this.lines.set(key, { name, state, text });
  }

  private paint(): void {
    let out = this.painted > 0 ? `${ESC}${this.painted}A` : '';
    // A terminal that reports no size (0, as some ptys do) gets the classic 80 columns.
    const width = Math.max((this.stream.columns || 80) - 1, 20);
    for (const line of this.lines.values()) {
      out += `\r${ERASE_LINE}${this.render(line, width)}\n`;
    }
    this.painted = this.lines.size;
    this.stream.write(out);
  }

  // Truncated to the terminal's width: a wrapped line would make "cursor up N" land wrong.
  private render(line: Line, width: number): string {
    const body = truncate(`${line.name}  ${line.text}`, width - 2);
    return `${this.marker(line.state)} ${body}`;
  }

  private marker(state: LineState): string {
    switch (state) {
      case 'waiting':
        return this.style.dim('·');
      case 'working':
        return this.style.cyan(SPINNER[this.frame % SPINNER.length] as string);
      case 'done':
        return this.style.green('✓');
      case 'failed':
        return this.style.red('✗');
      case 'stopped':
        return this.style.yellow('-');
    }
  }
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
}
