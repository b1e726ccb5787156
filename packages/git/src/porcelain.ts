// Reading git's machine-oriented output: `git push --porcelain` ref lines, and a commit
// as `git show --format=raw --name-only -z` prints it.

/** One ref line of `git push --porcelain`. */
export interface PushedRef {
  /** ` ` fast-forward, `+` forced, `-` deleted, `*` new, `!` rejected, `=` up to date. */
  readonly flag: string;
  /** The local side of the refspec, e.g. `HEAD`. */
  readonly from: string;
  /** The remote ref, e.g. `refs/heads/main`. */
  readonly to: string;
  /** `a1b2c3d..e4f5a6b`, `[new branch]`, `[rejected] (fetch first)`, … */
  readonly summary: string;
}

/** The ref lines of `git push --porcelain` output (`<flag>\t<from>:<to>\t<summary>`). */
export function parsePushPorcelain(stdout: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(.)\t([^\t]*):([^\t]*)\t(.*)$/.exec(line);
    if (match !== null) {
      refs.push({ flag: match[1]!, from: match[2]!, to: match[3]!, summary: match[4]! });
    }
  }
  return refs;
}

/**
 * Whether a rejected push lost a race (the remote moved) rather than being refused:
 * git's own `[rejected] (non-fast-forward | fetch first | stale info)`, or the remote
 * failing to take the ref lock because a concurrent push moved it first (`cannot lock
 * ref 'refs/heads/x': is at A but expected B`, `incorrect old value provided`).
 */
export function isLostRace(summary: string, stderr: string): boolean {
  if (/\[rejected\].*\((?:non-fast-forward|fetch first|stale info)\)/.test(summary)) return true;
  return (
    summary.startsWith('[remote rejected]') &&
    /cannot lock ref '[^']*': is at [0-9a-f]+ but expected|incorrect old value provided/.test(
      `${summary}\n${stderr}`,
    )
  );
}

/** The abbreviated old object name of a `old..new` or `old...new` summary. */
export function previousObjectOf(summary: string): string | undefined {
  return /^([0-9a-f]{4,64})\.\.\.?[0-9a-f]{4,64}/.exec(summary)?.[1];
}

/** The parts of a commit the package reports. */
export interface ShownCommit {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly message: string;
  /** Whether it carries a `gpgsig` (or `gpgsig-sha256`) header: an OpenPGP or SSH signature. */
  readonly signed: boolean;
  /** The paths it changed against its first parent (all of them for a root commit). */
  readonly files: readonly string[];
}

/**
 * Reads `git show --no-renames --name-only -z --format=raw <commit>`:
 * `commit <sha>\n<headers>\n\n` then each message line indented by four spaces, a
 * blank line, and the changed paths, each ended by NUL.
 */
export function parseShownCommit(output: string): ShownCommit {
  const end = output.indexOf('\n\n');
  const headers = (end === -1 ? output : output.slice(0, end)).split('\n');
  let sha = '';
  let tree = '';
  const parents: string[] = [];
  let signed = false;
  for (const header of headers) {
    // Continuation lines of a multi-line header (the signature) start with a space.
    if (header.startsWith(' ')) continue;
    const space = header.indexOf(' ');
    const key = header.slice(0, space);
    const value = header.slice(space + 1);
    if (key === 'commit') sha = value;
    else if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'gpgsig' || key === 'gpgsig-sha256') signed = true;
  }
  if (sha === '' || tree === '') {
    throw new Error(
      `expected git show --format=raw output, got ${JSON.stringify(output.slice(0, 80))}`,
    );
  }
  const lines: string[] = [];
  let rest = end === -1 ? '' : output.slice(end + 2);
  while (rest.startsWith('    ')) {
    const newline = rest.indexOf('\n');
    lines.push(rest.slice(4, newline === -1 ? undefined : newline));
    rest = newline === -1 ? '' : rest.slice(newline + 1);
  }
  // The blank line between the message and the paths.
  if (rest.startsWith('\n')) rest = rest.slice(1);
  const files = rest.split('\0').filter((path) => path !== '');
  return { sha, tree, parents, message: lines.join('\n').trimEnd(), signed, files };
}
