// Fuzzing through the public API, seeded and bounded (issue 7): a loopback
// node:http server answers with generated responses (status, Link,
// WWW-Authenticate, Content-Encoding, Retry-After, Location and digest headers,
// bodies of odd JSON, garbage or cut short, sent whole, split, reset or
// stalled). Every listTags and resolveDigest call must settle, with a string[]
// or a digest or a RegistryError whose code is a documented one, and no
// credential given to the client may show in an error or a log line.
// parseReference and dockerConfigCredentials get generated input too.
//
// Link targets include ones that are no URL (`<http://a b>`, a port over
// 65535, an unclosed IPv6 bracket) and bare ones without angle brackets: each
// must be followed or be INVALID_RESPONSE, never a TypeError.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { SECRET_CANARY as SECRET, tempDir } from '@tagsmith/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Credential,
  dockerConfigCredentials,
  parseReference,
  RegistryClient,
  RegistryError,
  staticCredentials,
} from '../src/index.js';
import { expectNoCredential } from './setup.js';

const SEED = 7_2025;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
// A run that takes this long has hung: every request is bounded by CLIENT.timeoutMs.
const HANG_MS = 10_000;
const CLIENT = {
  timeoutMs: 150,
  retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 20 },
  pageSize: 3,
  maxPages: 4,
  maxBodyBytes: 8192,
};

let documented: Set<string>;
beforeAll(async () => {
  const docs = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const start = docs.indexOf('## @tagsmith/registry');
  const section = docs.slice(start, docs.indexOf('\n## ', start + 1));
  documented = new Set([...section.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]!));
});

/** Fails the run if `error` is not a documented RegistryError or shows a secret. */
function checkError(error: unknown, lines: readonly string[], allowed = documented) {
  expect(error).toBeInstanceOf(RegistryError);
  const { code, message } = error as RegistryError;
  expect(typeof code).toBe('string');
  expect(allowed.has(code), `undocumented code ${String(code)}`).toBe(true);
  expect(typeof message).toBe('string');
  expectNoCredential(error, lines);
}

/** Settles like `promise`, or rejects when it has not settled after HANG_MS. */
async function bounded<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- generated responses --------------------------------------------------------

/** One generated answer; `$ORIGIN` in header values becomes the server's origin. */
interface Answer {
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** How the body is encoded compared with what Content-Encoding says. */
  encoding: 'as-declared' | 'plain' | 'corrupt';
  length: 'auto' | 'exact' | 'chunked' | 'declares-more' | 'declares-less';
  delivery: 'whole' | 'split' | 'reset' | 'stall';
}

const word = fc.string({ unit: fc.constantFrom(...'abcxyz019._-'), maxLength: 8 });
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const tagPath = fc.oneof(
  word.map((w) => `/v2/fuzz/app/tags/list?n=3&last=${w}`),
  fc.constant('/v2/fuzz/app/tags/list'),
  word.map((w) => `?last=${w}`),
  word.map((w) => `list?last=${w}`),
  word.map((w) => `$ORIGIN/v2/fuzz/app/tags/list?last=${w}`),
  word.map((w) => `http://localhost:9/v2/fuzz/app/tags/list?last=${w}`),
  fc.constant(''),
  fc.constantFrom(
    'http://a b/v2/x',
    'http://[::1/v2/x',
    'http://127.0.0.1:99999/v2/x',
    'ftp://x/y',
  ),
);
const link = fc.oneof(
  tagPath.map((t) => `${t}; rel=next`),
  tagPath.map((t) => `<${t}>; rel="next"`),
  tagPath.map((t) => `<${t}>; rel=next`),
  tagPath.map((t) => `<${t}>; REL="Next"; title="a, b"`),
  fc.tuple(tagPath, tagPath).map(([a, b]) => `<${a}>; rel="prev", <${b}>; rel="next"`),
  tagPath.map((t) => `<${t}>; rel="last"`),
  printable.filter((text) => !text.includes('<')),
);
const challenge = fc.oneof(
  fc.constant('Bearer realm="$ORIGIN/token",service="fuzz",scope="repository:fuzz/app:pull"'),
  fc.constant('Bearer realm="$ORIGIN/token"'),
  fc.constant('Bearer realm="$ORIGIN/token",service="fuzz", Basic realm="fuzz"'),
  fc.constant('Basic realm="fuzz"'),
  fc.constant('Bearer realm="not a url"'),
  fc.constant('Bearer realm="http://localhost:9/token"'),
  fc.constant('Bearer realm="ftp://127.0.0.1/token"'),
  fc.constantFrom(
    'Bearer',
    'Bearer realm=',
    'Negotiate YWJj==',
    'Bearer error="insufficient_scope"',
  ),
  printable,
);
const location = fc.oneof(
  tagPath.filter((t) => t !== ''),
  fc.constant('/token'),
  fc.constant('http://example.com/v2/'), // plain HTTP to a non-loopback host: refused unsent
  fc.constant('ftp://127.0.0.1/'),
  fc.constant('http://localhost:9/'),
  fc.constant('http://[::1'),
);
const retryAfter = fc.oneof(
  fc.constantFrom('0', '1', '5', '-1', 'soon', '999999999999', ''),
  fc.integer({ min: -5, max: 5 }).map((s) => new Date(Date.now() + s * 1000).toUTCString()),
);
const digestHeader = fc.oneof(
  fc.stringMatching(/^sha256:[a-f0-9]{64}$/),
  fc.constantFrom('sha256:xyz', 'md5:abc', '', 'sha512:00', 'SHA256:AB'),
);
const ociCode = fc.oneof(
  fc.constantFrom('UNAUTHORIZED', 'DENIED', 'NAME_UNKNOWN', 'MANIFEST_UNKNOWN', 'TOOMANYREQUESTS'),
  // Names on Object.prototype: a lookup in an object literal finds them.
  fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
  fc.constantFrom('NAME_INVALID', 'PAGINATION_NUMBER_INVALID', ''),
  printable,
);
const tagEntry = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/), weight: 6 },
  { arbitrary: fc.constantFrom(null, 5, true, {}, [], `sha256:${'a'.repeat(64)}`, ''), weight: 1 },
);
const jsonBody = fc.oneof(
  {
    arbitrary: fc.record({
      name: fc.constant('fuzz/app'),
      tags: fc.array(tagEntry, { maxLength: 6 }),
    }),
    weight: 6,
  },
  fc.record(
    { name: fc.jsonValue(), tags: fc.oneof(fc.constant(null), fc.jsonValue()) },
    { requiredKeys: [] },
  ),
  {
    arbitrary: fc.record({
      errors: fc.oneof(
        fc.array(
          fc.record(
            {
              code: fc.oneof({ arbitrary: ociCode, weight: 4 }, fc.jsonValue()),
              message: fc.oneof(printable, fc.jsonValue()),
            },
            { requiredKeys: [] },
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.jsonValue(),
      ),
    }),
    weight: 4,
  },
  fc.record(
    {
      token: fc.oneof(
        fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/),
        fc.constantFrom('', 'a\nb', 'tok en'),
        fc.jsonValue(),
      ),
      access_token: fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), fc.jsonValue()),
      expires_in: fc.oneof(
        fc.integer({ min: -10, max: 1e9 }),
        fc.constantFrom(1e308, Number.NaN, 'x', null),
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);
const body = fc.oneof(
  { arbitrary: jsonBody.map((value) => Buffer.from(JSON.stringify(value) ?? 'null')), weight: 8 },
  { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)), weight: 1 },
  {
    arbitrary: fc.tuple(jsonBody, fc.nat()).map(([value, cut]) => {
      const text = JSON.stringify(value) ?? 'null';
      return Buffer.from(text.slice(0, cut % (text.length + 1)));
    }),
    weight: 2,
  },
  { arbitrary: fc.constant(Buffer.alloc(0)), weight: 1 },
  { arbitrary: fc.nat(12_000).map((size) => Buffer.alloc(size, 'x')), weight: 1 },
);
const status = fc.oneof(
  { arbitrary: fc.constant(200), weight: 10 },
  { arbitrary: fc.constant(401), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      201,
      202,
      204,
      206,
      301,
      302,
      303,
      304,
      307,
      308,
      400,
      403,
      404,
      405,
      406,
      408,
      409,
      416,
      418,
      429,
      451,
      499,
      500,
      501,
      502,
      503,
      504,
      522,
      599,
    ),
    weight: 6,
  },
);
const length = fc.oneof(
  { arbitrary: fc.constant('auto' as const), weight: 8 },
  { arbitrary: fc.constantFrom('exact' as const, 'chunked' as const), weight: 8 },
  { arbitrary: fc.constantFrom('declares-more' as const, 'declares-less' as const), weight: 1 },
);
const delivery = fc.oneof(
  { arbitrary: fc.constant('whole' as const), weight: 16 },
  { arbitrary: fc.constant('split' as const), weight: 6 },
  { arbitrary: fc.constant('reset' as const), weight: 2 },
  { arbitrary: fc.constant('stall' as const), weight: 1 },
);
/** Anything at all. */
const anyAnswer: fc.Arbitrary<Answer> = fc.record({
  status,
  headers: fc
    .record(
      {
        link: link,
        'www-authenticate': challenge,
        'content-encoding': fc.constantFrom(
          'gzip',
          'deflate',
          'br',
          'identity',
          'x-bogus',
          'gzip, gzip',
        ),
        'retry-after': retryAfter,
        location,
        'docker-content-digest': digestHeader,
        'content-type': fc.constantFrom(
          'application/json',
          'text/html',
          'application/octet-stream',
        ),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.entries(headers)),
  body,
  encoding: fc.constantFrom('as-declared', 'as-declared', 'plain', 'corrupt'),
  length,
  delivery,
});
/** A readable failure with an OCI error body, so the code lookup is reached often. */
const errorAnswer: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(400, 403, 404, 405, 409, 429, 500, 503),
  headers: fc.constant([['content-type', 'application/json']] as [string, string][]),
  body: fc
    .array(fc.record({ code: ociCode, message: printable }, { requiredKeys: [] }), {
      minLength: 1,
      maxLength: 2,
    })
    .map((errors) => Buffer.from(JSON.stringify({ errors }))),
  encoding: fc.constant('plain' as const),
  length,
  delivery: fc.constant('whole' as const),
});
const answer = fc.oneof({ arbitrary: anyAnswer, weight: 4 }, errorAnswer);

function encode(answer: Answer): Buffer {
  const declared = answer.headers.find(([name]) => name === 'content-encoding')?.[1];
  if (answer.encoding === 'plain' || declared === undefined) return answer.body;
  const encoded =
    declared === 'gzip'
      ? gzipSync(answer.body)
      : declared === 'deflate'
        ? deflateSync(answer.body)
        : declared === 'br'
          ? brotliCompressSync(answer.body)
          : answer.body;
  if (answer.encoding === 'corrupt' && encoded.length > 0) {
    const copy = Buffer.from(encoded);
    copy[Math.floor(copy.length / 2)]! ^= 0x5a;
    return copy;
  }
  return encoded;
}

function respond(response: ServerResponse, answer: Answer, origin: string) {
  const bytes = encode(answer);
  for (const [name, value] of answer.headers) {
    response.setHeader(name, value.replaceAll('$ORIGIN', origin));
  }
  if (answer.length === 'exact') response.setHeader('content-length', bytes.length);
  if (answer.length === 'declares-more') response.setHeader('content-length', bytes.length + 10);
  if (answer.length === 'declares-less') {
    response.setHeader('content-length', Math.max(0, bytes.length - 1));
  }
  response.writeHead(answer.status);
  const half = bytes.subarray(0, bytes.length >> 1);
  switch (answer.delivery) {
    case 'whole':
      if (answer.length === 'chunked') {
        response.write(half);
        response.end(bytes.subarray(half.length));
      } else response.end(bytes);
      return;
    case 'split':
      response.flushHeaders();
      setTimeout(() => response.end(bytes), 5);
      return;
    case 'reset':
      response.write(half, () => response.socket?.destroy());
      return;
    case 'stall':
      response.write(half);
  }
}

/** A loopback server that plays `answers` in order, then answers 404 to everything. */
async function scriptedServer(answers: readonly Answer[]) {
  let next = 0;
  const server = createServer((request, response) => {
    const answer = answers[next++];
    if (answer === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      return void response.end('{"errors":[{"code":"NAME_UNKNOWN","message":"end of script"}]}');
    }
    // node:http sends no body after a HEAD: declare the length of the empty one.
    respond(
      response,
      request.method === 'HEAD' ? { ...answer, body: Buffer.alloc(0) } : answer,
      origin,
    );
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = `http://${host}`;
  return {
    host,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

const credential: fc.Arbitrary<Credential> = fc.constantFrom(
  { username: 'bot', password: SECRET },
  { identityToken: SECRET },
  { registryToken: SECRET },
);

async function callAgainst(
  answers: readonly Answer[],
  given: Credential,
  call: (client: RegistryClient, host: string) => Promise<unknown>,
): Promise<{ result?: unknown; error?: unknown; lines: string[] }> {
  const server = await scriptedServer(answers);
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const client = new RegistryClient({
    ...CLIENT,
    credentials: staticCredentials({ [server.host]: given }),
    logger: { debug: log, warn: log },
  });
  try {
    return { result: await bounded(call(client, server.host)), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    server.close();
  }
}

const script = fc.array(answer, { minLength: 1, maxLength: 8 });
const RUNS = { seed: SEED, interruptAfterTimeLimit: 40_000 };

describe('fuzz: generated registry responses', () => {
  it('listTags returns tags or a documented RegistryError, never a secret', async () => {
    await fc.assert(
      fc.asyncProperty(script, credential, async (answers, given) => {
        const outcome = await callAgainst(answers, given, (client, host) =>
          client.listTags(`${host}/fuzz/app`),
        );
        if (outcome.error === undefined) {
          expect(Array.isArray(outcome.result)).toBe(true);
          for (const tag of outcome.result as unknown[]) expect(typeof tag).toBe('string');
        } else checkError(outcome.error, outcome.lines);
        for (const line of outcome.lines) expect(line).not.toContain(SECRET);
      }),
      { ...RUNS, numRuns: 300 },
    );
  }, 60_000);

  it('resolveDigest returns a digest or a documented RegistryError, never a secret', async () => {
    await fc.assert(
      fc.asyncProperty(script, credential, async (answers, given) => {
        const outcome = await callAgainst(answers, given, (client, host) =>
          client.resolveDigest(`${host}/fuzz/app:1.0`),
        );
        if (outcome.error === undefined) {
          expect(typeof outcome.result).toBe('string');
          expect(outcome.result).toMatch(DIGEST);
        } else checkError(outcome.error, outcome.lines);
        for (const line of outcome.lines) expect(line).not.toContain(SECRET);
      }),
      { ...RUNS, numRuns: 200 },
    );
  }, 60_000);
});

// ---- references ---------------------------------------------------------------

const referenceChars = fc.constantFrom(...'abcxyzAZ0189.:-_[]/@%x'.split(''));
const hostCandidate = fc.oneof(
  fc.string({ unit: referenceChars, maxLength: 24 }),
  fc.ipV4Extended(),
  fc.ipV6().map((address) => `[${address}]`),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.[]'.split('')), maxLength: 20 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('xn--', 'xn--nxasmq6b', '0x', '0x1f', '-a', 'a-', '09', '255', '256'),
        word,
        fc.nat(300).map(String),
      ),
      { maxLength: 6 },
    )
    .map((labels) => labels.join('.')),
);
const port = fc.option(fc.oneof(fc.nat(70_000).map(String), fc.string({ maxLength: 6 })));

describe('fuzz: parseReference', () => {
  it('accepts only registries that are URL hosts, and throws only INVALID_REFERENCE', () => {
    fc.assert(
      fc.property(
        hostCandidate,
        port,
        fc.oneof(fc.constant('app'), fc.string({ unit: referenceChars, maxLength: 30 })),
        (host, portText, rest) => {
          const text = `${host}${portText === null ? '' : `:${portText}`}/${rest}`;
          let ref: ReturnType<typeof parseReference>;
          try {
            ref = parseReference(text);
          } catch (error) {
            expect(error).toBeInstanceOf(RegistryError);
            expect((error as RegistryError).code).toBe('INVALID_REFERENCE');
            return;
          }
          expect(URL.canParse(`https://${ref.registry}/`)).toBe(true);
          expect(URL.canParse(`/v2/${ref.repository}/tags/list`, `https://${ref.registry}`)).toBe(
            true,
          );
          // What it prints parses back to the same parts.
          const again = parseReference(String(ref));
          expect([again.registry, again.repository, again.tag, again.digest]).toEqual([
            ref.registry,
            ref.repository,
            ref.tag,
            ref.digest,
          ]);
        },
      ),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('accepts every DNS name, IPv4 address and bracketed IPv6 address', () => {
    const valid = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((address) => `[${address}]`),
    );
    fc.assert(
      fc.property(
        valid.filter((host) => host.length <= 200),
        fc.option(fc.integer({ min: 1, max: 65_535 })),
        (host, portNumber) => {
          const registry = portNumber === null ? host : `${host}:${portNumber}`;
          expect(parseReference(`${registry}/app`).registry).toBe(registry);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('throws only INVALID_REFERENCE for any text at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        try {
          parseReference(text);
        } catch (error) {
          expect(error).toBeInstanceOf(RegistryError);
          expect((error as RegistryError).code).toBe('INVALID_REFERENCE');
        }
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

// ---- docker config --------------------------------------------------------------

const registryKey = fc.oneof(
  { arbitrary: fc.constantFrom('quay.io', 'https://quay.io/v2/', 'docker.io'), weight: 4 },
  fc.constantFrom('https://index.docker.io/v1/', '__proto__', 'constructor', 'toString'),
  word,
);
const secretish = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      SECRET,
      Buffer.from(`bot:${SECRET}`).toString('base64'),
      Buffer.from(SECRET).toString('base64'),
    ),
    weight: 6,
  },
  fc.jsonValue(),
);
const authEntry = fc.oneof(
  fc.record(
    {
      auth: secretish,
      username: fc.oneof(fc.constantFrom('bot', '<token>', ''), fc.jsonValue()),
      password: secretish,
      identitytoken: secretish,
      registrytoken: secretish,
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom(null, 'dXNlcjpwdw==', [], 5, true),
  fc.jsonValue(),
);
const helperName = fc.oneof(
  fc.constantFrom(
    '',
    'x'.repeat(5000),
    'x'.repeat(238),
    '../../bin/sh',
    'a b',
    'a\u0000b',
    'ok-name',
  ),
  fc.string({ maxLength: 20 }),
  fc.jsonValue(),
);
const auths = fc.dictionary(registryKey, authEntry, { maxKeys: 4 });
const dockerConfig = fc.oneof(
  // Most configs have only auths (docker login without a helper).
  { arbitrary: fc.record({ auths }), weight: 3 },
  {
    arbitrary: fc.record(
      {
        auths: fc.oneof(auths, fc.jsonValue()),
        credHelpers: fc.oneof(
          fc.dictionary(registryKey, helperName, { maxKeys: 3 }),
          fc.jsonValue(),
        ),
        credsStore: helperName,
      },
      { requiredKeys: [] },
    ),
    weight: 3,
  },
  fc.jsonValue(),
);
const configText = fc.oneof(
  { arbitrary: dockerConfig.map((config) => JSON.stringify(config) ?? 'null'), weight: 8 },
  {
    arbitrary: fc.tuple(dockerConfig, fc.nat()).map(([config, cut]) => {
      const text = JSON.stringify(config) ?? 'null';
      return text.slice(0, cut % (text.length + 1));
    }),
    weight: 1,
  },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);

describe('fuzz: dockerConfigCredentials', () => {
  it('returns a credential, none, or CREDENTIAL_CONFIG / CREDENTIAL_HELPER without the secret', async () => {
    const dir = (await tempDir('fuzz')).path;
    const allowed = new Set(['CREDENTIAL_CONFIG', 'CREDENTIAL_HELPER']);
    await fc.assert(
      fc.asyncProperty(configText, registryKey, async (text, registry) => {
        const path = join(dir, 'config.json');
        await writeFile(path, text);
        // An empty PATH: no generated helper name can ever name a real program.
        const provider = dockerConfigCredentials({ path, env: { PATH: dir, HOME: dir } });
        let credential: Credential | undefined;
        try {
          credential = await bounded(provider(registry));
        } catch (error) {
          checkError(error, [], allowed);
          return;
        }
        if (credential === undefined) return;
        const shape = Object.keys(credential).sort().join(',');
        expect(['password,username', 'identityToken', 'registryToken']).toContain(shape);
        for (const value of Object.values(credential)) expect(typeof value).toBe('string');
      }),
      { seed: SEED, numRuns: 400, interruptAfterTimeLimit: 20_000 },
    );
  }, 40_000);
});
