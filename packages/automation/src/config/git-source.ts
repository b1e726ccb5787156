// A GitRepository's `spec.url` (or tagsmith.yaml's `git`) to a GitSourceConfig:
// a path on this machine is cloned from locally, a URL is cloned over its
// transport, `github:` goes through the API. Credentials in a URL are refused:
// a config names secrets, it never holds them.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GitSourceConfig } from '../config-types.js';

/** The source `url` names, or why it cannot be used. */
export function sourceFromUrl(url: string): GitSourceConfig | { error: string } {
  if (url.startsWith('file://')) {
    try {
      return { kind: 'local', path: fileURLToPath(url) };
    } catch (error) {
      return {
        error: `spec.url ${JSON.stringify(url)} is not a valid file URL (${(error as Error).message})`,
      };
    }
  }
  if (isAbsolute(url)) return { kind: 'local', path: url };
  if (/^(https?|ssh):\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { error: `${JSON.stringify(url)} is not a valid URL` };
    }
    if (parsed.password !== '') {
      return {
        error:
          'the git URL holds a password; give credentials by reference instead (the URL is not shown)',
      };
    }
    return { kind: 'url', url };
  }
  // scp-like syntax, as git and Flux's ssh transport accept it.
  if (/^[A-Za-z0-9._-]+@[^:/]+:.+/.test(url)) return { kind: 'url', url };
  return {
    error: `${JSON.stringify(url)} is not a git URL; expected http(s)://, ssh://, git@host:path, file:// or an absolute path`,
  };
}

/** A tagsmith.yaml `path`, resolved against the config's directory. */
export function localSource(path: string, baseDir: string): GitSourceConfig {
  return { kind: 'local', path: resolve(baseDir, path) };
}

/** `owner/repo` (already checked by the schema) to a GitHub source. */
export function githubSource(ownerRepo: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = ownerRepo.split('/');
  return { owner, repo };
}
