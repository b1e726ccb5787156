import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../run-types.js';
import { createProgress } from './progress.js';
import { createStyle } from './style.js';

const TARGETS = {
  repositories: [
    { repository: 'flux-system/my-app', image: 'registry.example.com/my-app' },
    { repository: 'flux-system/tools', image: 'registry.example.com/tools' },
  ],
  automations: ['flux-system/flux-system'],
};

const EVENTS: ProgressEvent[] = [
  {
    type: 'tags-listed',
    repository: 'flux-system/my-app',
    image: 'registry.example.com/my-app',
    tagCount: 6,
  },
  {
    type: 'tags-failed',
    repository: 'flux-system/tools',
    image: 'registry.example.com/tools',
    error: { code: 'UNAVAILABLE', message: '503' },
  },
  { type: 'policy-chosen', policy: 'flux-system:my-app', tag: '1.9.0' },
  { type: 'automation-started', automation: 'flux-system/flux-system' },
  { type: 'automation-finished', automation: 'flux-system/flux-system', status: 'pushed' },
];

function stream(columns = 80) {
  const writes: string[] = [];
  return { writes, isTTY: true, columns, write: (text: string) => writes.push(text) };
}

/** What a terminal shows after `output`: lines, with cursor-up, erase-line and colors applied. */
function screen(output: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  const esc = String.fromCharCode(27);
  const pattern = new RegExp(`${esc}\\[(\\??[0-9]*)([A-Za-z])|\\r|\\n|[^${esc}\\r\\n]+`, 'g');
  for (const [token, arg, command] of output.matchAll(pattern)) {
    if (command === 'A') row -= Number(arg || 1);
    else if (command === 'K') rows[row] = '';
    else if (command !== undefined) continue;
    else if (token === '\r') continue;
    else if (token === '\n') {
      row += 1;
      rows[row] ??= '';
    } else rows[row] = (rows[row] ?? '') + token;
  }
  return rows;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createProgress, live', () => {
  it('redraws one line per repository and automation in place and ends cleanly', () => {
    const out = stream();
    const progress = createProgress(out, TARGETS, {
      live: true,
      style: createStyle(true),
      frameMs: 0,
    });
    expect(screen(out.writes.join(''))).toEqual([
      '⠋ flux-system/my-app  listing tags of registry.example.com/my-app',
      '⠋ flux-system/tools  listing tags of registry.example.com/tools',
      '· flux-system/flux-system  waiting',
      '',
    ]);
    for (const event of EVENTS) progress.onProgress(event);
    progress.finish();
    const output = out.writes.join('');
    expect(screen(output)).toEqual([
      '✓ flux-system/my-app  6 tags',
      '✗ flux-system/tools  failed: UNAVAILABLE',
      '✓ flux-system/flux-system  pushed',
      '',
    ]);
    expect(output.startsWith('\u001b[?25l')).toBe(true);
    expect(output.endsWith('\n\u001b[?25h')).toBe(true);
    // Each later repaint (four events that change a line, then finish) moves up over the three lines.
    expect(output.split('\u001b[3A')).toHaveLength(1 + 5);
    progress.onProgress(EVENTS[0] as ProgressEvent);
    expect(out.writes.join('')).toBe(output);
  });

  it('marks lines a stopped cycle never finished', () => {
    const out = stream();
    const progress = createProgress(out, TARGETS, {
      live: true,
      style: createStyle(false),
      frameMs: 0,
    });
    progress.onProgress(EVENTS[0] as ProgressEvent);
    progress.finish();
    expect(screen(out.writes.join(''))).toEqual([
      '✓ flux-system/my-app  6 tags',
      '- flux-system/tools  listing tags of registry.example.com/tools (stopped)',
      '- flux-system/flux-system  waiting (stopped)',
      '',
    ]);
  });

  it('truncates lines to the terminal width, so redraws never wrap', () => {
    const out = stream(30);
    createProgress(out, TARGETS, { live: true, style: createStyle(false), frameMs: 0 }).finish();
    for (const line of screen(out.writes.join(''))) expect(line.length).toBeLessThanOrEqual(29);
  });

  it('spins on a timer until finish()', () => {
    vi.useFakeTimers();
    const out = stream();
    const progress = createProgress(out, TARGETS, { live: true, style: createStyle(false) });
    vi.advanceTimersByTime(80);
    expect(screen(out.writes.join(''))[0]).toMatch(/^⠙ /);
    progress.finish();
    const writes = out.writes.length;
    vi.advanceTimersByTime(1000);
    expect(out.writes.length).toBe(writes);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createProgress, plain', () => {
  it('prints one line per event and no escape code', () => {
    const out = stream();
    const progress = createProgress(out, TARGETS, { live: false, style: createStyle(true) });
    for (const event of EVENTS) progress.onProgress(event);
    progress.finish();
    expect(out.writes.join('')).toBe(
      [
        'listed flux-system/my-app (registry.example.com/my-app): 6 tags',
        'listing flux-system/tools (registry.example.com/tools) failed: UNAVAILABLE',
        'policy flux-system:my-app: 1.9.0',
        'automation flux-system/flux-system: started',
        'automation flux-system/flux-system: pushed',
        '',
      ].join('\n'),
    );
  });
});
