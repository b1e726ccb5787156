import {
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER,
  OCI_MANIFEST,
  sha256Digest,
} from '@tagsmith/oci';
import { TestkitError } from './errors.js';
import { buildLayer } from './layer.js';

/** Manifest flavour of a seeded image. */
export type ImageFormat = 'oci' | 'docker';

/** A manifest to store, with its media type. */
export interface ManifestBytes {
  readonly mediaType: string;
  readonly bytes: Buffer;
}

/** Everything `pushImage` stores: blobs, then child manifests, then the tagged manifest. */
export interface BuiltImage {
  readonly blobs: readonly Buffer[];
  /** Per-platform manifests of an index, in platform order; empty for a single image. */
  readonly children: readonly (ManifestBytes & { readonly platform: string })[];
  readonly top: ManifestBytes;
}

interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

const MEDIA = {
  oci: { index: OCI_INDEX, manifest: OCI_MANIFEST, config: OCI_CONFIG, layer: OCI_LAYER },
  docker: {
    index: DOCKER_MANIFEST_LIST,
    manifest: DOCKER_MANIFEST,
    config: DOCKER_CONFIG,
    layer: DOCKER_LAYER,
  },
} as const;

/**
 * Builds a small but complete image: a real gzipped tar layer holding `content`,
 * a config naming its platform, and a manifest; with `platforms`, one such image
 * per platform under an index (OCI) or manifest list (Docker).
 */
export function buildImage(
  format: ImageFormat,
  content: string,
  platforms: readonly string[] | undefined,
): BuiltImage {
  const media = MEDIA[format];
  if (platforms === undefined) {
    const image = buildPlatformImage(format, content, parsePlatform('linux/amd64'));
    return { blobs: image.blobs, children: [], top: image.manifest };
  }
  const blobs: Buffer[] = [];
  const children: (ManifestBytes & { platform: string })[] = [];
  const descriptors: object[] = [];
  for (const name of platforms) {
    const platform = parsePlatform(name);
    const image = buildPlatformImage(format, content, platform);
    blobs.push(...image.blobs);
    children.push({ ...image.manifest, platform: name });
    descriptors.push({
      mediaType: media.manifest,
      digest: sha256Digest(image.manifest.bytes),
      size: image.manifest.bytes.length,
      platform,
    });
  }
  const index = { schemaVersion: 2, mediaType: media.index, manifests: descriptors };
  return { blobs, children, top: { mediaType: media.index, bytes: jsonBytes(index) } };
}

/** Parses `os/arch[/variant]`; throws `INVALID_ARGUMENT` for anything else. */
export function parsePlatform(name: string): Platform {
  const [os, architecture, variant, extra] = name.split('/');
  if (!os || !architecture || variant === '' || extra !== undefined) {
    throw new TestkitError(
      'INVALID_ARGUMENT',
      `Invalid platform ${JSON.stringify(name)}: expected "os/arch[/variant]" such as "linux/arm64"`,
    );
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

function buildPlatformImage(
  format: ImageFormat,
  content: string,
  platform: Platform,
): { blobs: Buffer[]; manifest: ManifestBytes } {
  const media = MEDIA[format];
  const layer = buildLayer('testkit.txt', `${content}\n`);
  const config = jsonBytes({
    ...platform,
    config: { Labels: { 'dev.tagsmith.testkit.content': content } },
    rootfs: { type: 'layers', diff_ids: [sha256Digest(layer.tar)] },
  });
  const manifest = {
    schemaVersion: 2,
    mediaType: media.manifest,
    config: { mediaType: media.config, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: media.layer, digest: sha256Digest(layer.gzip), size: layer.gzip.length }],
  };
  return {
    blobs: [config, layer.gzip],
    manifest: { mediaType: media.manifest, bytes: jsonBytes(manifest) },
  };
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}
