// Every file in examples/ is run here as a user would run it, so the examples
// cannot rot: a change that breaks one fails the test suite.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);
const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '../../examples');

// Lines each example must print: proof that it did its job, not only that it exited 0.
const expectedOutput: Record<string, RegExp[]> = {
  // Loose on purpose: readme.test.ts holds the demo's whole output to the README's sample.
  'demo.mjs': [
    /^== tagsmith run \.\/flux --host registry\.example\.com=http:\/\/127\.0\.0\.1:<port>$/m,
    /^[0-9a-f]{7} 2026-01-05 Flux: chore: update image to registry\.example\.com\/my-app:1\.9\.0$/m,
    /^[0-9a-f]{7} 2026-01-06 Flux: chore: update image to registry\.example\.com\/my-app:1\.9\.1$/m,
    /^\+ {4}newDigest: "" # \{"\$imagepolicy": "flux-system:my-app:digest"\}$/m,
    /^main did not move; infra\/legacy\/deployment\.yaml is as it was \(outside \.\/apps\)$/m,
  ],
  'image-bump-cycle.mjs': [
    /^flux-system:web\s+\S+\/acme\/web -> 1\.5\.0$/m,
    /^flux-system:worker\s+\S+\/acme\/worker -> main-8e2d4b1-1717090000$/m,
    /^committed [0-9a-f]+ Update from image update automation$/m,
    /^== second cycle \(no new tags\)\n.*\n.*\nno changes: nothing to commit$/m,
    /^\+ {10}image: \S+\/acme\/web:1\.5\.1 # \{"\$imagepolicy": "flux-system:web"\}$/m,
  ],
  'github-pr-bot.mjs': [
    /^pull request #1 opened: chore\(my-app\): update to registry\.example\.com\/my-app:1\.9\.0$/m,
    /^ {2}branch tagsmith\/my-app -> main, commit [0-9a-f]{7}$/m,
    /^ {2}changed apps\/my-app\/kustomization\.yaml$/m,
    /^pull request #1 updated: chore\(my-app\): update to registry\.example\.com\/my-app:1\.9\.1$/m,
    /^open pull requests: 1$/m,
    /^- my-app\/kustomization\.yaml \(Kustomization\): 1\.4\.2 -> 1\.9\.1$/m,
    /^main still runs: my-app:1\.4\.2$/m,
  ],
  'list-tags.mjs': [
    /^tags of .*\[ '1\.4\.0', /m,
    /\(matches\)$/m,
    /^without credentials: UNAUTHORIZED$/m,
  ],
  'patch-directory.mjs': [
    /^--- a\/apps\/web\/deployment\.yaml\n\+\+\+ b\/apps\/web\/deployment\.yaml\n@@ -8,5 \+8,5 @@$/m,
    /^\+ {10}image: ghcr\.io\/acme\/web:1\.5\.2 # \{"\$imagepolicy": "flux-system:web"\}$/m,
    /^wrote 2 files, 0 problems$/m,
  ],
  'policy-select.mjs': [/^podinfo-stable\s+-> v6\.5\.1$/m],
  'run-flux-manifests.mjs': [
    /^warning deprecated image-automation\.yaml:37:24: /m,
    /^automation flux-system\/flux-system: would-push$/m,
    /^automation flux-system\/flux-system: pushed [0-9a-f]{7}\n {2}message: chore: update image to registry\.example\.com\/my-app:1\.9\.0$/m,
    /^ {2}apps\/my-app\.yaml:9: registry\.example\.com\/my-app:1\.4\.2 -> registry\.example\.com\/my-app:1\.9\.0$/m,
    /^== run again: no new tags\n(?:.*\n){2}automation flux-system\/flux-system: no-change$/m,
    /^remote main: chore: update image to registry\.example\.com\/my-app:1\.9\.0 \(by Flux\)$/m,
  ],
};

const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.mjs'));

describe('examples', () => {
  test('every example has an expected output line', () => {
    expect(examples.sort()).toEqual(Object.keys(expectedOutput).sort());
  });

  test("examples/flux holds the seed scenario's Flux manifests byte for byte", async () => {
    // The demo and run-flux-manifests.mjs read this copy: examples never read test/.
    const [copy, seed] = await Promise.all([
      readFile(join(examplesDir, 'flux/image-automation.yaml')),
      readFile(join(examplesDir, '../test/integration/fixtures/seed-flux/flux-system.yaml')),
    ]);
    expect(copy.equals(seed)).toBe(true);
  });

  for (const example of examples) {
    test(`${example} runs and prints its result`, { timeout: 120_000 }, async () => {
      const { stdout } = await run(process.execPath, [join(examplesDir, example)], {
        cwd: join(examplesDir, '..'),
      });
      const expected = expectedOutput[example] ?? [/(?!)/];
      for (const line of expected) expect(stdout).toMatch(line);
    });
  }
});
