// Runs examples/list-tags.mjs as a user would, so the example cannot rot.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const example = fileURLToPath(new URL('../../examples/list-tags.mjs', import.meta.url));

it('examples/list-tags.mjs lists tags, resolves a digest and shows UNAUTHORIZED', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [example], { timeout: 30_000 });
  expect(stdout).toMatch(
    /^tags of 127\.0\.0\.1:\d+\/acme\/web: \[ '1\.4\.0', '1\.4\.1', '1\.5\.0', '2\.0\.0-rc\.1', 'latest' \]$/m,
  );
  expect(stdout).toMatch(/acme\/web:latest -> sha256:[a-f0-9]{64} \(matches\)$/m);
  expect(stdout).toMatch(/^without credentials: UNAUTHORIZED$/m);
});
