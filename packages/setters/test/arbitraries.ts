// Generators shared by the property and fuzz tests: valid image refs as
// @tagsmith/setters accepts them, biased toward values that YAML would read as
// something other than a string when written plain.
import fc from 'fast-check';
import type { ImageRef } from '../src/index.js';

const pathComponent = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,6}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,6}){0,2}$/),
  // `0` + tag `30` writes `0:30`, which YAML 1.1 reads as the number 30.
  fc.constantFrom('0', '00', '0_1', '1', '2024-06-27'),
);

const registry = fc.constantFrom(
  'ghcr.io',
  'localhost:5000',
  'registry.example.com:443',
  '[::1]:5000',
);

/** A valid image name: an optional registry, then one to three path components. */
export const imageName: fc.Arbitrary<string> = fc
  .tuple(fc.option(registry, { freq: 2 }), fc.array(pathComponent, { minLength: 1, maxLength: 3 }))
  .map(([host, path]) => {
    // Docker's rule: a first component with a `.` would be read as a registry.
    const needsHost = host === null && path.length > 1 && path[0]!.includes('.');
    const registryPart = host ?? (needsHost ? 'ghcr.io' : null);
    return registryPart === null ? path.join('/') : `${registryPart}/${path.join('/')}`;
  });

/** A valid tag, often one that YAML reads as a number, a boolean, a null or a time. */
export const tag: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,20}$/),
  fc.constantFrom(
    '1.2',
    '010',
    '0',
    '30',
    'true',
    'yes',
    'on',
    'null',
    'NULL',
    'y',
    'n',
    '1e3',
    '1_000',
    '0x1F',
    '0o17',
    '09_',
    '2024-06-27',
    '_',
    'v1.2.3',
  ),
);

/** A valid sha256 or sha512 digest. */
export const digest: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`),
  fc.stringMatching(/^[a-f0-9]{128}$/).map((hex) => `sha512:${hex}`),
);

/** A valid ref, with a digest half of the time. */
export const imageRef: fc.Arbitrary<ImageRef> = fc.record(
  { name: imageName, tag, digest },
  { requiredKeys: ['name', 'tag'] },
);
