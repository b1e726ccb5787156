/**
 * Our engine against Go's own text/template (@evertdespiegeleer/go-template: a WASM build of
 * Go's engine with `missingkey=error` and JSON data, no sprig): a checked-in table of tricky
 * cases and a generated corpus, compared output for output and error for error.
 */
import { parse as goParse } from '@evertdespiegeleer/go-template';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseTemplate } from './engine.js';
import { GoFloat, type GoValue } from './values.js';

type Outcome = { ok: string } | { parseError: string } | { execError: string };

declare global {
  // The oracle's WASM module installs this global.
  var Render: (template: string, json: string) => string;
}

beforeAll(async () => {
  await goParse('', {});
});

function oracle(template: string, data: unknown): Outcome {
  const r = globalThis.Render(template, JSON.stringify(data));
  if (r.startsWith('Template parse error: '))
    return { parseError: r.slice('Template parse error: '.length) };
  if (r.startsWith('Template exec error: '))
    return { execError: r.slice('Template exec error: '.length) };
  return { ok: r };
}

/** JSON as Go decodes it into interface{}: every number is a float64. */
function fromJson(v: unknown): GoValue {
  if (typeof v === 'number') return Number.isInteger(v) ? new GoFloat(v) : v;
  if (Array.isArray(v)) return v.map(fromJson);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromJson(e)]));
  return v as GoValue;
}

function ours(template: string, data: unknown): Outcome {
  let t: ReturnType<typeof parseTemplate>;
  try {
    t = parseTemplate(template, { name: 'tpl', missingKey: 'error' });
  } catch (e) {
    return { parseError: (e as Error).message };
  }
  try {
    return { ok: t.execute(fromJson(data)) };
  } catch (e) {
    return { execError: (e as Error).message };
  }
}

const DATA = {
  s: 'héllo <w> & "q"',
  a: 'plain ascii',
  n: 3,
  f: 1.5,
  big: 1000000,
  l: [1, 'two', 2.5, null, true],
  m: { k1: 'v1', k2: 2, k0: [1, 2], 'b-c': 'dash' },
  b: true,
  z: null,
  e: '',
  el: [],
  nested: { m: { x: 1, y: 'why' } },
};

// Hand-written cases for the traps DESIGN lists; each is compared with Go.
const TABLE: string[] = [
  'a {{- " b " -}} c',
  '{{- /* comment */ -}} x {{/* c2 */}}y',
  '{{$x := 1}}{{$x = 2}}{{$x}}',
  '{{range $i, $v := .l}}{{$i}}={{$v}};{{end}}',
  '{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}',
  '{{range .el}}x{{else}}empty{{end}}',
  '{{range $i, $v := .l}}{{if eq $i 2}}{{break}}{{end}}{{$v}}{{end}}',
  '{{range $i, $v := .l}}{{if eq $i 1}}{{continue}}{{end}}{{$v}},{{end}}',
  '{{range 3}}{{.}}{{end}}',
  '{{if .z}}a{{else if .e}}b{{else if .n}}c{{else}}d{{end}}',
  '{{with .z}}a{{else with .m}}{{.k1}}{{end}}',
  '{{and 1 .e "x"}}|{{or .e .z "y"}}|{{and .b .s}}|{{or 0 .el}}',
  '{{eq .m.k1 "a" "v1"}} {{eq .n 3.0}} {{ne .s "x"}} {{lt .f 2.0}} {{ge .m.k1 "v"}}',
  '{{len .s}} {{len .l}} {{len .m}} {{len "日本"}}',
  '{{print 1 2 "x" 3 .f .b}}|{{println .s .n}}|{{print .z}}|{{print .l}}',
  '{{.m}} {{.l}} {{.nested}} {{.z}} {{.el}}',
  '{{printf "%v %d %s %q %x %X %5.2f %-4s| %05d %t %T %T %T" .n 3 .s .s "hi" .s .f "ab" 42 .b .l .m .f}}',
  '{{printf "%e %g %G %.3g %8.3e %+d %c %U %o %b %x" 12345.678 0.000012 1e21 3.14159 1234.56 5 65 65 8 5 255}}',
  '{{printf "%d %s"}}|{{printf "%d" 1 2}}|{{printf "%!" }}|{{printf "%z" 1}}',
  "{{1}} {{1.0}} {{1e3}} {{1e21}} {{0x1F}} {{0o17}} {{0b101}} {{1_000}} {{'a'}} {{-0.5}} {{.5}} {{1e-7}}",
  '{{`raw\\n`}} {{"esc\\t\\u00e9\\x41"}}',
  '{{index .l 1}} {{index .m "k1"}} {{index .m.k0 1}} {{index .s 1}} {{index .nested "m" "y"}}',
  '{{slice .s 1 3}} {{slice .l 1 3}} {{slice .l 2}}',
  '{{html .s}} {{js .s}} {{urlquery .s}} {{html 1 2}}',
  '{{.s | printf "%s!"}} {{.n | printf "%d-%d" 1}} {{"x" | len}}',
  '{{$ := .}}{{$.n}}',
  '{{with $x := .m}}{{$x.k1}}{{end}}',
  '{{define "t"}}[{{.}}]{{end}}{{template "t" .n}}{{block "b" .s}}<{{.}}>{{end}}',
  '{{.l.x}}',
  '{{.nope}}',
  '{{.z.x}}',
  '{{index .l 9}}',
  '{{index .l 5}}',
  '{{len .n}}',
  '{{eq .l .l}}',
  '{{lt .b .b}}',
  '{{nil}}',
  '{{.n 1}}',
  '{{template "none"}}',
  '{{range .n}}{{.}}{{end}}',
  '{{range $i, $v := 2}}{{end}}',
  '{{if}}{{end}}',
  '{{end}}',
  '{{range .l}}',
  '{{break}}',
  '{{$u}}',
  '{{.s | 1}}',
  '{{"unterminated}}',
  '{{ .a.b.c',
  '{{printf 1}}',
  '{{not}}',
  '{{and}}',
  '{{len 1 2}}',
  '{{index nil 1}}',
  '{{(1).x}}',
  '{{print (1 | print)}}',
  '{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}',
  '{{range $i, $e := .m}}{{$i}}{{end}}{{$i}}',
  '{{ 1 }}{{- 2 }}{{ 3 -}} 4',
  'line1\n{{.z.a}}',
  '{{printf "%v" .z}} {{printf "%s" .z}} {{printf "%d" .l}} {{printf "%s" .m}}',
  '{{printf "%v|%+v" .nested .nested}}',
  '{{printf "%6.2f|%-8.3f|%08.3f|% d|%x" 3.14159 2.5 -1.5 5 -255}}',
  '{{printf "%q %v %s" 1.0 .big .big}}',
  '{{.big}} {{.f}} {{printf "%v" 100000.0}} {{123456.0}} {{1234567.0}}',
];

describe('Go text/template oracle: hand-written table', () => {
  test.each(TABLE)('%s', (template) => {
    const mine = ours(template, DATA);
    const go = oracle(template, DATA);
    if (process.env.ORACLE_DEBUG && JSON.stringify(mine) !== JSON.stringify(go))
      console.log(JSON.stringify({ template, mine, go }));
    expect(mine).toEqual(go);
  });
});

/** A small seeded PRNG (mulberry32) so the corpus is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number): () => string {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const leaves = [
    '.s',
    '.n',
    '.f',
    '.big',
    '.l',
    '.m',
    '.b',
    '.z',
    '.e',
    '.el',
    '.m.k1',
    '.m.k2',
    '.nested.m',
    '1',
    '0',
    '2.5',
    '"q"',
    '""',
    'true',
    'false',
    '.',
  ];
  const expr = (d: number): string => {
    if (d <= 0 || r() < 0.35) return pick(leaves);
    const a = (): string => expr(d - 1);
    return pick([
      () => `(len ${a()})`,
      () => `(index .l ${pick(['0', '1', '4', '5'])})`,
      () => `(index .m ${pick(['"k1"', '"k0"', '"zz"'])})`,
      () => `(print ${a()} ${a()})`,
      () => `(println ${a()} ${a()})`,
      () =>
        `(printf "${pick(['%v', '%d', '%s', '%q', '%x', '%5.1f', '%T', '%v-%v', '%t'])}" ${a()})`,
      () => `(and ${a()} ${a()})`,
      () => `(or ${a()} ${a()} ${a()})`,
      () => `(not ${a()})`,
      () => `(eq ${a()} ${a()})`,
      () => `(eq ${a()} ${a()} ${a()})`,
      () => `(ne ${a()} ${a()})`,
      () => `(lt ${a()} ${a()})`,
      () => `(le ${a()} ${a()})`,
      () => `(gt ${a()} ${a()})`,
      () => `(html ${a()})`,
      () => `(js ${a()})`,
      () => `(urlquery ${a()})`,
      () => `(slice .a ${pick(['0', '1', '2'])} ${pick(['2', '3'])})`,
      () => `(${a()} | printf "%v")`,
      () => `(${a()} | print ${a()})`,
    ])();
  };
  const node = (d: number): string => {
    const e = (): string => expr(2);
    const body = (): string => (d > 0 ? node(d - 1) : pick(['x', ' ', '\n', '-']));
    return pick([
      () => `{{${e()}}}`,
      () => `{{${e()}}}`,
      () => `{{- ${e()} -}}`,
      () => `{{ ${e()} }} `,
      () => `{{if ${e()}}}${body()}{{else}}${body()}{{end}}`,
      () => `{{if ${e()}}}${body()}{{else if ${e()}}}${body()}{{end}}`,
      () => `{{with ${e()}}}{{.}}${body()}{{else}}${body()}{{end}}`,
      () =>
        `{{range $i, $v := ${pick(['.l', '.m', '.el', '.nested.m', '.n', '2'])}}}{{$i}}={{$v}}${body()}{{end}}`,
      () => `{{range ${pick(['.l', '.m', '.el'])}}}{{.}},{{else}}none{{end}}`,
      () => `{{$x := ${e()}}}{{$x}}`,
      () => pick(['text ', '\n', ' a ']),
    ])();
  };
  return () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => node(2)).join('');
}

const CORPUS_SIZE = 1500;

describe('Go text/template oracle: generated corpus', () => {
  test(`${CORPUS_SIZE} generated templates render as Go renders them`, () => {
    const next = generator(20261201);
    const mismatches: { template: string; ours: Outcome; go: Outcome }[] = [];
    let errors = 0;
    for (let k = 0; k < CORPUS_SIZE; k++) {
      const template = next();
      const go = oracle(template, DATA);
      const mine = ours(template, DATA);
      if (!('ok' in go)) errors++;
      if (JSON.stringify(go) !== JSON.stringify(mine))
        mismatches.push({ template, ours: mine, go });
    }
    // Printed so the report can quote the corpus size and agreement.
    if (process.env.ORACLE_DEBUG)
      for (const m of mismatches.slice(0, 40)) console.log(JSON.stringify(m));
    console.log(
      `oracle corpus: ${CORPUS_SIZE} templates, ${errors} Go errors, ${mismatches.length} mismatches`,
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
