// The packages as a user gets them: packed with pnpm (so `workspace:*`
// becomes a version), installed with npm from the tarballs into fresh projects
// outside the repository, then run as an ES module and through require(),
// type-checked by strict TypeScript under both module resolutions with
// skipLibCheck off, and linted with publint and attw. The tarballs' own
// dependencies come from the npm cache or, when it lacks them, the npm registry.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = join(repoRoot, 'test/packaging/fixtures');
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name);
// oci is internal, but registry, setters and testkit depend on it: it is packed and installed with them.
const PACKAGES = ['automation', 'git', 'oci', 'policy', 'registry', 'setters', 'testkit'] as const;
type PackageName = (typeof PACKAGES)[number];
/**
 * The packages whose public types need no @types/node (checked without it
 * installed); oci is here because setters depends on it.
 */
const NODE_FREE_PACKAGES: readonly PackageName[] = ['oci', 'policy', 'setters'];

/**
 * The consumer tsconfigs: the strictest common settings, under each module
 * resolution a user picks. TypeScript 7 loads no @types package unless listed,
 * so the first three see Node's types only through the packages' own
 * references (with the default lib, which has the DOM but no AsyncDisposable
 * below esnext); the last one is a Node project without the DOM lib.
 */
const STRICT = {
  target: 'es2022',
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
};
const TS_PROJECTS: Record<string, Record<string, unknown>> = {
  'module nodenext': { module: 'nodenext', moduleResolution: 'nodenext' },
  'moduleResolution bundler, module esnext': { module: 'esnext', moduleResolution: 'bundler' },
  // esnext's own lib declares AsyncDisposable too; it must merge with @types/node's.
  'moduleResolution bundler, module preserve, target esnext': {
    module: 'preserve',
    moduleResolution: 'bundler',
    target: 'esnext',
  },
  'module nodenext, lib es2022 and types node (no DOM)': {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    lib: ['es2022'],
    types: ['node'],
  },
};

const registryVersion: string = JSON.parse(
  readFileSync(join(repoRoot, 'packages/registry/package.json'), 'utf8'),
).version;

/** What esm.mjs and cjs.cjs print: one real call of each package, against the testkit registry. */
const EXPECTED_CALLS = {
  reference: { sameHost: true, repository: 'team/app', tag: '1.0.0' },
  tags: ['1.0.0', '1.2.0', '2.0.0-rc.1', 'latest'],
  tag: '1.2.0',
  text: 'image: team/app:1.2.0 # {"$imagepolicy": "ns:app"}\n',
  changes: 1,
  invalidReference: 'INVALID_REFERENCE',
  // The default User-Agent: the installed client reads its version from its own package.json.
  userAgent: `tagsmith-registry/${registryVersion}`,
  git: {
    localStatus: 'pushed',
    githubCommitted: ['app.yaml'],
    remoteFile: 'image: team/app:2.0.0\n',
    notARepository: 'NOT_A_REPOSITORY',
  },
  commitMessage: 'chore: update image to team/app:1.2.0',
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws, so a failure can show its output. */
function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        done({ code, stdout, stderr: error && code === null ? `${stderr}\n${error}` : stderr });
      },
    );
  });
}

function describeRun(what: string, result: Run): string {
  return `${what} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

async function mustRun(what: string, ...params: Parameters<typeof run>): Promise<string> {
  const result = await run(...params);
  if (result.code !== 0) throw new Error(describeRun(what, result));
  return result.stdout;
}

/**
 * The environment of a fresh user's shell. pnpm and npx export their own
 * settings (`npm_config_local_prefix` would make npm install into this
 * repository); only the user's own npm settings are kept.
 */
function userEnv(): NodeJS.ProcessEnv {
  const keep =
    /^npm_config_(registry|cache|cafile|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key) && !keep.test(key)) continue;
    if (key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** Module specifiers a compiled file imports: static, re-export and dynamic. */
function importedSpecifiers(code: string): string[] {
  const pattern =
    /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  return [...code.matchAll(pattern)].map((match) => (match[1] ?? match[2]) as string);
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

// Each step spawns npm, node, tsc or attw; on two busy cores one can take seconds.
describe('packed packages installed in fresh projects', { timeout: 60_000 }, () => {
  let work: string;
  const tarballs = new Map<PackageName, string>();
  let withTypes: string;
  let withoutTypes: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tagsmith-consumer-'));
    const packed = join(work, 'tarballs');
    await mkdir(packed);
    const root = await readJson(join(repoRoot, 'package.json'));
    const pnpm = String(root.packageManager); // e.g. pnpm@12.4.2, as the README runs it
    for (const name of PACKAGES) {
      await mustRun(
        `pnpm pack of ${name}`,
        'npx',
        ['--yes', pnpm, 'pack', '--pack-destination', packed],
        { cwd: join(repoRoot, 'packages', name) },
      );
    }
    for (const file of await readdir(packed)) {
      const name = PACKAGES.find((candidate) => file.startsWith(`tagsmith-${candidate}-`));
      if (name) tarballs.set(name, join(packed, file));
    }
    expect([...tarballs.keys()].sort()).toEqual([...PACKAGES]);

    // The consumer gets the @types/node the repository builds with.
    const typesNode = await readJson(join(repoRoot, 'node_modules/@types/node/package.json'));
    withTypes = join(work, 'with-types-node');
    withoutTypes = join(work, 'without-types-node');
    const install = async (dir: string, specs: string[]) => {
      await mkdir(dir);
      await writeFile(
        join(dir, 'package.json'),
        `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`,
      );
      await mustRun(
        `npm install in ${dir} (needs the npm registry, or an npm cache that has the tarballs' dependencies)`,
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs],
        { cwd: dir, env: userEnv(), timeoutMs: 150_000 },
      );
    };
    await Promise.all([
      install(withTypes, [...tarballs.values(), `@types/node@${String(typesNode.version)}`]),
      install(
        withoutTypes,
        NODE_FREE_PACKAGES.map((name) => tarballs.get(name) as string),
      ),
    ]);
  }, 240_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const installed = (name: PackageName) => join(withTypes, 'node_modules/@tagsmith', name);

  describe.each(PACKAGES)('@tagsmith/%s tarball', (name) => {
    test('ships dist only, no build state or tests, and every map carries its sources', async () => {
      const files = await listFiles(installed(name));
      expect(files).toContain('dist/index.js');
      expect(files).toContain('dist/index.d.ts');
      // DESIGN section 2: `files: ["dist"]`. Sources travel inside the maps instead. The one
      // addition: automation publishes tagsmith.yaml's JSON Schema for editors (issue 10).
      const published = name === 'automation' ? ['schema/tagsmith.schema.json'] : [];
      expect(
        files.filter(
          (file) =>
            !file.startsWith('dist/') &&
            file !== 'package.json' &&
            !published.includes(file) &&
            !/^(README\.md|LICENSE|CHANGELOG\.md)$/.test(file),
        ),
      ).toEqual([]);
      for (const file of published) expect(files).toContain(file);
      expect(
        files.filter((file) => /tsbuildinfo|\.test\.|(^|\/)test\/|\.d\.ts\.map$/.test(file)),
      ).toEqual([]);

      const broken: string[] = [];
      for (const file of files) {
        const full = join(installed(name), file);
        if (/\.(js|d\.ts)$/.test(file)) {
          const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(await readFile(full, 'utf8'))?.[1];
          if (url && !existsSync(join(dirname(full), url))) broken.push(`${file} -> ${url}`);
        }
        if (file.endsWith('.map')) {
          const map = (await readJson(full)) as { sources: string[]; sourcesContent?: unknown[] };
          const contents = map.sourcesContent ?? [];
          map.sources.forEach((source, i) => {
            if (typeof contents[i] !== 'string')
              broken.push(`${file} -> ${source} (no sourcesContent)`);
          });
        }
      }
      expect(broken).toEqual([]);
    });

    test('imports only Node built-ins and its declared dependencies', async () => {
      const manifest = await readJson(join(installed(name), 'package.json'));
      const declared = new Set(Object.keys((manifest.dependencies as object | undefined) ?? {}));
      const builtins = new Set(builtinModules);
      const undeclared: string[] = [];
      for (const file of await listFiles(join(installed(name), 'dist'))) {
        if (!file.endsWith('.js')) continue;
        const code = await readFile(join(installed(name), 'dist', file), 'utf8');
        for (const specifier of importedSpecifiers(code)) {
          if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
          const pkg = packageNameOf(specifier);
          if (!builtins.has(pkg) && !declared.has(pkg)) undeclared.push(`${file}: ${specifier}`);
        }
      }
      expect(undeclared).toEqual([]);
      expect(JSON.stringify(manifest)).not.toContain('workspace:');
    });

    test('publint (strict) reports nothing', async () => {
      const tarball = await readFile(tarballs.get(name) as string);
      const { messages, pkg } = await publint({
        pack: { tarball: new Uint8Array(tarball).buffer },
        strict: true,
      });
      expect(
        messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`),
      ).toEqual([]);
    });

    test('attw --profile esm-only finds no problem', async () => {
      const args = [tarballs.get(name) as string, '--profile', 'esm-only'];
      const result = await run(bin('attw'), [...args, '--no-color', '--no-definitely-typed'], {
        cwd: work,
      });
      expect(result.code, describeRun(`attw ${args.join(' ')}`, result)).toBe(0);
    });
  });

  test.each([
    ['an ES module project runs a real call of every package', 'esm', 'module', 'esm.mjs', 'ESM'],
    [
      'a CommonJS project require()s every package and runs the same calls',
      'cjs',
      'commonjs',
      'cjs.cjs',
      'CommonJS',
    ],
  ])('%s', async (_, folder, type, fixture, label) => {
    const project = join(withTypes, folder);
    await mkdir(project);
    await writeFile(join(project, 'package.json'), `{ "type": "${type}" }\n`);
    await cp(join(fixtures, fixture), join(project, 'main.js'));
    const stdout = await mustRun(`node main.js (${label})`, process.execPath, ['main.js'], {
      cwd: project,
      env: userEnv(),
    });
    expect(JSON.parse(stdout)).toEqual(EXPECTED_CALLS);
  });

  test('the installed tagsmith bin is executable, prints its version and selects from stdin', async () => {
    expect(await listFiles(join(installed('automation'), 'dist/cli'))).toContain('main.js');
    // tsc writes main.js without the execute bit; npm's bin linking sets it on install.
    const tagsmithBin = join(withTypes, 'node_modules/.bin/tagsmith');
    expect((await stat(tagsmithBin)).mode & 0o111).not.toBe(0);
    const manifest = await readJson(join(installed('automation'), 'package.json'));
    const version = await mustRun('tagsmith --version', tagsmithBin, ['--version'], {
      cwd: withTypes,
      env: userEnv(),
    });
    expect(version).toBe(`${String(manifest.version)}\n`);

    // Run as a shell runs it: the bin itself (its #! line), tags piped to stdin.
    const child = spawn(tagsmithBin, ['select', '--semver', '>=1.0 <2'], {
      cwd: withTypes,
      env: userEnv(),
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stdin.end('0.9.0\n1.4.0\n1.10.0\n2.0.0\nlatest\n');
    const code = await new Promise((done) => child.on('close', done));
    expect({ code, stdout }).toEqual({ code: 0, stdout: '1.10.0\n' });
  });

  /** Writes a TypeScript project and returns tsc's result (errors in stdout). */
  async function typeCheck(
    dir: string,
    source: string,
    compilerOptions: Record<string, unknown>,
  ): Promise<Run> {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await cp(join(fixtures, source), join(dir, 'main.ts'));
    const tsconfig = { compilerOptions: { ...STRICT, ...compilerOptions }, files: ['main.ts'] };
    await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
    return run(bin('tsc'), ['-p', dir], { cwd: dir });
  }

  test.each(Object.entries(TS_PROJECTS))(
    'strict TypeScript (%s, skipLibCheck off) type-checks against every package',
    async (label, options) => {
      const dir = join(withTypes, `ts-${label.replace(/[^a-z0-9]+/gi, '-')}`);
      const result = await typeCheck(dir, 'typed.ts', options);
      expect(result.code, describeRun(`tsc (${label})`, result)).toBe(0);
    },
  );

  test('strict TypeScript without @types/node type-checks policy and setters', async () => {
    expect(existsSync(join(withoutTypes, 'node_modules/@types/node'))).toBe(false);
    const dir = join(withoutTypes, 'ts');
    const result = await typeCheck(dir, 'typed-without-node.ts', TS_PROJECTS['module nodenext']!);
    expect(result.code, describeRun('tsc (no @types/node)', result)).toBe(0);
  });
});
