import { describe, expect, test } from 'vitest';
import { parseTemplate } from './engine.js';
import { TemplateExecError } from './exec.js';
import { GoFloat, goStruct } from './values.js';

const run = (t: string, data: unknown): string =>
  parseTemplate(t, { name: 'msg' }).execute(data as never);

// What the JSON oracle cannot reach: missingkey=default, structs, methods, typed maps.
describe('exec beyond JSON data', () => {
  test('a missing map key is <no value> by default, and nil prints <nil> through print', () => {
    expect(run('{{.nope}} {{.nope.deeper}} {{print .nope}} {{printf "%v" .z}}', { z: null })).toBe(
      '<no value> <no value> <nil> <nil>',
    );
  });

  test('struct fields, promoted fields and methods', () => {
    const inner = goStruct('p.Inner', { Kind: 'Deployment' });
    const s = goStruct(
      'p.Outer',
      { Inner: inner, N: 1 },
      { Twice: (x) => (x as number) * 2, String: () => 'outer!' },
      ['Inner'],
    );
    expect(run('{{.Kind}} {{.N}} {{.Twice 4}} {{.}} {{printf "%+v" .Inner}}', s)).toBe(
      'Deployment 1 8 outer! {Kind:Deployment}',
    );
  });

  test('a missing struct field names the struct type', () => {
    const s = goStruct('source.TemplateData', {});
    expect(() => run('{{.Updated}}', s)).toThrow(TemplateExecError);
    expect(() => run('{{.Updated}}', s)).toThrow(
      `can't evaluate field Updated in type source.TemplateData`,
    );
  });

  test('maps with struct keys range in field order', () => {
    const k = (a: string, b: string) => goStruct('p.K', { A: a, B: b });
    const m = new Map([
      [k('b', 'a'), 2],
      [k('a', 'z'), 1],
      [k('a', 'b'), 0],
    ]);
    expect(run('{{range $k, $v := .}}{{$k.A}}{{$k.B}}={{$v}} {{end}}', m)).toBe('ab=0 az=1 ba=2 ');
  });

  test('ints and float64 differ as in Go', () => {
    expect(run('{{printf "%T %T %v" .i .f .f}} {{eq .i 1}}', { i: 1, f: new GoFloat(1) })).toBe(
      'int float64 1 true',
    );
    expect(() => run('{{eq .i .f}}', { i: 1, f: new GoFloat(1) })).toThrow(
      'incompatible types for comparison: int and float64',
    );
  });

  test('execution errors carry 1-based line and column', () => {
    try {
      run('a\nb {{len 3}}', {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateExecError);
      expect((e as TemplateExecError).message).toBe(
        'template: msg:2:4: executing "msg" at <len 3>: error calling len: len of type int',
      );
      expect([(e as TemplateExecError).line, (e as TemplateExecError).column]).toEqual([2, 5]);
    }
  });
});
