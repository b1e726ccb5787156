import { describe, expect, it } from 'vitest';
import { isHeld, keepShapesOf, MAX_HELD_CHARS } from './warm.js';

describe('keepShapesOf', () => {
  it('holds the last small parse of each kind', () => {
    const first = {};
    const second = {};
    keepShapesOf('test-kind', first, 10);
    expect(isHeld('test-kind', first)).toBe(true);
    keepShapesOf('test-kind', second, MAX_HELD_CHARS);
    expect(isHeld('test-kind', second)).toBe(true);
    expect(isHeld('test-kind', first)).toBe(false);
  });

  it('never holds the parse of a large text, and keeps the small one it had', () => {
    const small = {};
    const large = {};
    keepShapesOf('test-large', small, 100);
    keepShapesOf('test-large', large, MAX_HELD_CHARS + 1);
    expect(isHeld('test-large', large)).toBe(false);
    expect(isHeld('test-large', small)).toBe(true);
  });
});
