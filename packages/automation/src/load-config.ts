// loadConfig: finds the files (a tagsmith.yaml and the manifest directories it
// names, or a directory of Flux manifests), reads each into the catalog, and
// resolves the references into the AutomationConfig runAutomation takes. Bad
// input inside a file is a returned ConfigProblem; only a missing path, misuse
// and the signal throw.
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import type { RegistryHost } from '@tagsmith/registry';
import { readFluxDocument } from './config/flux.js';
import { type Catalog, emptyCatalog } from './config/records.js';
import { resolveCatalog } from './config/resolve.js';
import {
  isTagsmithDocument,
  type Overrides,
  readTagsmithDocument,
  type TagsmithSettings,
} from './config/tagsmith.js';
import { parseYamlFile } from './config/yaml-file.js';
import type { AutomationConfig, ConfigProblem } from './config-types.js';
import { AutomationError } from './errors.js';
import type { Logger } from './logger.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Registry name → endpoint, merged over tagsmith.yaml's `hosts` (these win): a
   * `RegistryHost` or its endpoint as a string, e.g.
   * `{ 'registry.example.com': 'http://127.0.0.1:5000' }`. Default: `{}`.
   */
  hosts?: Record<string, RegistryHost | string>;
  /** The directory a relative `path` is resolved against. Default: `process.cwd()`. */
  cwd?: string;
  /** The environment; `DOCKER_CONFIG` is the docker config default. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Cancels the load between files; `loadConfig` then throws `ABORTED`. Default: none. */
  signal?: AbortSignal;
  /** Receives a debug line per file read. Default: none. */
  logger?: Logger;
}

/** The name loadConfig looks for at the top of a directory. */
export const CONFIG_FILE_NAMES = ['tagsmith.yaml', 'tagsmith.yml'] as const;

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);
// kustomize's own file lists resources, it is never one.
const SKIPPED_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
const ENDPOINT = /^https?:\/\/[^/]+$/;

/**
 * Loads a `tagsmith.yaml`, or a directory of Flux manifests (read recursively,
 * other kinds and non-YAML files ignored; a directory holding a `tagsmith.yaml`
 * at its top loads that file), into an {@link AutomationConfig}: CRD defaults
 * applied, references followed, policies selected. A malformed manifest, a
 * schema violation, a broken reference, a duplicate or an unsupported
 * Kubernetes-only field is a {@link ConfigProblem} in `config.problems` (with
 * file, line and column) and the rest still loads; a config with no usable
 * automation is returned as it is (`runAutomation` refuses it with
 * `INVALID_CONFIG`).
 *
 * @param path - The tagsmith.yaml, a manifest file, or a directory.
 * @throws AutomationError `CONFIG_NOT_FOUND` (the path does not exist or cannot be read),
 *   `INVALID_ARGUMENT` (a bad argument or option), `ABORTED` (the signal fired).
 */
export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<AutomationConfig> {
  const { hosts, cwd, env, signal, logger } = checkOptions(path, options);
  checkSignal(signal);
  const absolute = resolve(cwd, path);
  const kind = await pathKind(absolute, path);
  const catalog = emptyCatalog();
  const reader = new FileReader(catalog, cwd, signal, logger);
  let settings: TagsmithSettings | undefined;

  const topConfig = kind === 'directory' ? await findTopConfig(absolute) : undefined;
  if (topConfig !== undefined) {
    settings = await reader.readFile(join(path, topConfig), 'config');
  } else if (kind === 'directory') {
    await reader.readDirectory(path);
  } else {
    settings = await reader.readFile(path, 'any');
  }
  for (const entry of settings?.manifests ?? []) {
    const entryKind = await pathKind(resolve(cwd, entry.path), entry.path).catch(() => undefined);
    if (entryKind === undefined) {
      catalog.problems.push({
        severity: 'error',
        kind: 'unknown-reference',
        message: `manifests names ${entry.path}, which does not exist; expected a directory or file of Flux manifests`,
        location: entry.location,
      });
    } else if (entryKind === 'directory') await reader.readDirectory(entry.path);
    else await reader.readFile(entry.path, 'manifests');
  }

  const resolved = resolveCatalog(catalog, settings?.overrides ?? emptyOverrides());
  const mergedHosts = { ...settings?.hosts, ...hosts };
  const dockerConfig = settings?.dockerConfig ?? env.DOCKER_CONFIG;
  return {
    ...resolved,
    hosts: mergedHosts,
    ...(dockerConfig === undefined || dockerConfig === '' ? {} : { dockerConfig }),
    problems: sortProblems(catalog.problems),
    files: [...catalog.files].sort(),
  };
}

class FileReader {
  constructor(
    private readonly catalog: Catalog,
    private readonly cwd: string,
    private readonly signal: AbortSignal | undefined,
    private readonly logger: Logger | undefined,
  ) {}

  /** Reads every YAML file under `dir` (a display path), in sorted order. */
  async readDirectory(dir: string): Promise<void> {
    checkSignal(this.signal);
    const entries = await readdir(resolve(this.cwd, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(dir, entry.name);
      // Symbolic links are not followed, so a link loop cannot trap the walk.
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name))
        await this.readDirectory(child);
      else if (entry.isFile() && isManifestName(entry.name))
        await this.readFile(child, 'manifests');
    }
  }

  /**
   * Reads one file: `config` expects a tagsmith.yaml, `manifests` reads Flux
   * objects only, `any` decides by its first document.
   */
  async readFile(
    file: string,
    expect: 'config' | 'manifests' | 'any',
  ): Promise<TagsmithSettings | undefined> {
    checkSignal(this.signal);
    let text: string;
    try {
      text = await readFile(resolve(this.cwd, file), {
        encoding: 'utf8',
        ...(this.signal === undefined ? {} : { signal: this.signal }),
      });
    } catch (error) {
      checkSignal(this.signal);
      throw new AutomationError(
        'CONFIG_NOT_FOUND',
        `cannot read ${file}: ${(error as Error).message}`,
        { file, cause: error },
      );
    }
    // A YAML file that names no Flux API group holds nothing for us; it is not even parsed,
    // so a Helm template or a CI workflow beside the manifests is no problem.
    if (expect === 'manifests' && !text.includes('toolkit.fluxcd.io')) return undefined;
    this.logger?.debug?.(`loadConfig: reading ${file}`);
    this.catalog.files.add(file);
    const parsed = parseYamlFile(file, text);
    this.catalog.problems.push(...parsed.problems);
    let settings: TagsmithSettings | undefined;
    for (const doc of parsed.documents) {
      if (expect !== 'manifests' && settings === undefined && isTagsmithDocument(doc.value)) {
        settings = readTagsmithDocument(doc, file, dirname(resolve(this.cwd, file)), this.catalog);
      } else readFluxDocument(doc, this.catalog);
    }
    if (expect === 'config' && settings === undefined && parsed.problems.length === 0) {
      this.catalog.problems.push({
        severity: 'error',
        kind: 'schema',
        message: `${file} is not a tagsmith config; expected a document with apiVersion: tagsmith.dev/v1 and kind: Config`,
        location: { file, line: 1, column: 1 },
      });
    }
    return settings;
  }
}

function isManifestName(name: string): boolean {
  const ext = extname(name);
  return (
    (ext === '.yaml' || ext === '.yml') &&
    !SKIPPED_FILES.has(name) &&
    !CONFIG_FILE_NAMES.includes(name as never)
  );
}

async function findTopConfig(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const found = await stat(join(dir, name)).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) return name;
  }
  return undefined;
}

async function pathKind(absolute: string, shown: string): Promise<'directory' | 'file'> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return 'directory';
    if (info.isFile()) return 'file';
  } catch (error) {
    throw new AutomationError(
      'CONFIG_NOT_FOUND',
      `${shown} does not exist or cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); expected a tagsmith.yaml, a manifest or a directory of manifests`,
      { file: shown, cause: error },
    );
  }
  throw new AutomationError('CONFIG_NOT_FOUND', `${shown} is neither a file nor a directory`, {
    file: shown,
  });
}

function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw new AutomationError('ABORTED', 'loadConfig was aborted', { cause: signal.reason });
}

function emptyOverrides(): Overrides {
  return {
    imageRepositories: new Map(),
    gitRepositories: new Map(),
    imagePolicies: new Map(),
    automations: new Map(),
  };
}

/** By file, line, column: the order a reader goes through them. */
function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => {
    const x = a.location;
    const y = b.location;
    if (x.file !== y.file) return x.file < y.file ? -1 : 1;
    return x.line - y.line || x.column - y.column;
  });
}

function invalid(message: string): AutomationError {
  return new AutomationError('INVALID_ARGUMENT', message);
}

function checkOptions(path: unknown, options: unknown) {
  if (typeof path !== 'string' || path === '')
    throw invalid('loadConfig: path must be a non-empty string');
  if (typeof options !== 'object' || options === null)
    throw invalid('loadConfig: options must be an object');
  const o = options as LoadConfigOptions;
  if (o.cwd !== undefined && typeof o.cwd !== 'string')
    throw invalid('loadConfig: options.cwd must be a string');
  if (o.env !== undefined && (typeof o.env !== 'object' || o.env === null))
    throw invalid('loadConfig: options.env must be an object');
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw invalid('loadConfig: options.signal must be an AbortSignal');
  if (o.logger !== undefined && (typeof o.logger !== 'object' || o.logger === null))
    throw invalid('loadConfig: options.logger must be an object');
  const hosts: Record<string, RegistryHost> = {};
  if (o.hosts !== undefined) {
    if (typeof o.hosts !== 'object' || o.hosts === null)
      throw invalid('loadConfig: options.hosts must be an object');
    for (const [name, host] of Object.entries(o.hosts)) {
      const endpoint = typeof host === 'string' ? host : (host as RegistryHost | null)?.endpoint;
      if (typeof endpoint !== 'string' || !ENDPOINT.test(endpoint)) {
        throw invalid(
          `loadConfig: options.hosts[${JSON.stringify(name)}] must be an endpoint like "http://127.0.0.1:5000" (scheme and host, no path) or { endpoint }`,
        );
      }
      hosts[name] = { endpoint };
    }
  }
  return {
    hosts,
    cwd: o.cwd ?? process.cwd(),
    env: o.env ?? process.env,
    signal: o.signal,
    logger: o.logger,
  };
}
