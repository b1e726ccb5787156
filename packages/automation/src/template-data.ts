/**
 * Flux's commit-message template data, built from a flat list of changes
 * (what the setters report), as image-automation-controller 1.x builds it in
 * `internal/source` and `internal/update`: `.AutomationObject`, `.Changed`
 * (`FileChanges`, `Objects`, `Changes`), `.Values`, and for v1beta1/v1beta2
 * manifests the older `.Updated` (`Files`, `Objects`, `Images`).
 *
 * Deviation: Flux builds `.Changed.Changes`, `.Updated.Images` and the order of
 * changes inside `.Changed.Objects` from Go map iteration, so their order is
 * random; here they follow the files' and objects' sorted order.
 */
import { AutomationError } from './errors.js';
import { type GoStruct, type GoValue, goStruct, sortedEntries } from './template/values.js';

/** One field a setter changed, as the cycle or a bot reports it. */
export interface TemplateChange {
  /** The file, relative to the automation's `update.path` (Flux's `FileChanges` key). */
  readonly file: string;
  /** The changed object's `apiVersion`, if the document has one. */
  readonly apiVersion?: string;
  /** The changed object's `kind`, if any. */
  readonly kind?: string;
  /** The changed object's `metadata.name`, if any. */
  readonly name?: string;
  /** The changed object's `metadata.namespace`, if any. */
  readonly namespace?: string;
  /** The value before. */
  readonly oldValue: string;
  /** The value written. */
  readonly newValue: string;
  /** The marker's setter: `ns:name`, or `ns:name:tag` (`:name`, `:digest`) as in the marker. */
  readonly setter: string;
  /**
   * The policy's whole new reference (`image:tag`, with `@digest` if any), for `.Updated.Images`.
   * Default: the change's `newValue` for an `ns:name` setter, else `name:tag` joined from the
   * policy's `:name` and `:tag` changes; a policy with only a `:tag` or `:digest` change and no
   * `image` is left out of `.Updated.Images`.
   */
  readonly image?: string;
}

/** The data a commit template renders; make it with {@link createTemplateData}. */
export interface TemplateData {
  /** The automation, printed by `{{.AutomationObject}}` as `namespace/name`. */
  readonly automation: { readonly namespace: string; readonly name: string };
  /** `spec.git.commit.messageTemplateValues`: `.Values`. */
  readonly values: Readonly<Record<string, string>>;
  /** The changes, sorted by file, object and setter. */
  readonly changes: readonly TemplateChange[];
}

/** Input of {@link createTemplateData}. */
export interface TemplateDataInput {
  /** The automation's namespace and name. */
  readonly automation: { readonly namespace: string; readonly name: string };
  /** `.Values`. Default: `{}`. */
  readonly values?: Readonly<Record<string, string>>;
  /** Every field the setters changed. */
  readonly changes: readonly TemplateChange[];
}

const objectKey = (c: TemplateChange): string =>
  JSON.stringify([c.apiVersion ?? '', c.kind ?? '', c.name ?? '', c.namespace ?? '']);

/**
 * Build Flux's template data from a flat list of changes (for the cycle, and for
 * your own bots rendering Flux templates).
 *
 * @throws AutomationError `INVALID_ARGUMENT` when a field is not a string.
 */
export function createTemplateData(input: TemplateDataInput): TemplateData {
  const { automation } = input;
  if (typeof automation?.namespace !== 'string' || typeof automation.name !== 'string') {
    throw new AutomationError(
      'INVALID_ARGUMENT',
      'createTemplateData: automation must be { namespace: string, name: string }',
    );
  }
  const values = input.values ?? {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'string')
      throw new AutomationError(
        'INVALID_ARGUMENT',
        `createTemplateData: values.${k} must be a string`,
      );
  }
  if (!Array.isArray(input.changes))
    throw new AutomationError('INVALID_ARGUMENT', 'createTemplateData: changes must be an array');
  input.changes.forEach((c, i) => {
    for (const f of ['file', 'oldValue', 'newValue', 'setter'] as const) {
      if (typeof c?.[f] !== 'string')
        throw new AutomationError(
          'INVALID_ARGUMENT',
          `createTemplateData: changes[${i}].${f} must be a string`,
        );
    }
  });
  const order = (a: TemplateChange, b: TemplateChange): number =>
    cmp(a.file, b.file) ||
    cmp(objectKey(a), objectKey(b)) ||
    cmp(a.setter, b.setter) ||
    cmp(a.oldValue, b.oldValue) ||
    cmp(a.newValue, b.newValue);
  return {
    automation: { namespace: automation.namespace, name: automation.name },
    values: { ...values },
    changes: [...input.changes].sort(order),
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function namespacedName(namespace: string, name: string): GoStruct {
  return goStruct(
    'types.NamespacedName',
    { Namespace: namespace, Name: name },
    { String: () => `${namespace}/${name}` },
  );
}

function objectIdentifier(c: TemplateChange): GoStruct {
  const typeMeta = goStruct('yaml.TypeMeta', {
    APIVersion: c.apiVersion ?? '',
    Kind: c.kind ?? '',
  });
  const nameMeta = goStruct('yaml.NameMeta', { Name: c.name ?? '', Namespace: c.namespace ?? '' });
  const rid = goStruct('yaml.ResourceIdentifier', { TypeMeta: typeMeta, NameMeta: nameMeta }, {}, [
    'TypeMeta',
    'NameMeta',
  ]);
  return goStruct('update.ObjectIdentifier', { ResourceIdentifier: rid }, {}, [
    'ResourceIdentifier',
  ]);
}

/** Group changes file → object (one identifier struct per distinct object) → items. */
function group<T>(
  changes: readonly TemplateChange[],
  item: (c: TemplateChange) => T,
): Map<string, Map<GoStruct, T[]>> {
  const files = new Map<string, Map<GoStruct, T[]>>();
  const ids = new Map<string, GoStruct>();
  for (const c of changes) {
    const key = objectKey(c);
    let id = ids.get(key);
    if (id === undefined) {
      id = objectIdentifier(c);
      ids.set(key, id);
    }
    let objects = files.get(c.file);
    if (objects === undefined) {
      objects = new Map();
      files.set(c.file, objects);
    }
    const list = objects.get(id) ?? [];
    list.push(item(c));
    objects.set(id, list);
  }
  return files;
}

/** Merge objects across files, as Flux's `Objects()` does. */
function mergeObjects<T>(files: Map<string, Map<GoStruct, T[]>>): Map<GoValue, GoValue> {
  const result = new Map<GoStruct, T[]>();
  for (const [, objects] of sortedEntries(files as Map<GoValue, GoValue>)) {
    for (const [id, items] of sortedEntries(objects as Map<GoValue, GoValue>)) {
      result.set(id as GoStruct, [...(result.get(id as GoStruct) ?? []), ...(items as T[])]);
    }
  }
  return result as Map<GoValue, GoValue>;
}

function changeValue(c: TemplateChange): GoStruct {
  return goStruct('update.Change', {
    OldValue: c.oldValue,
    NewValue: c.newValue,
    Setter: c.setter,
  });
}

function changedResult(changes: readonly TemplateChange[]): GoStruct {
  const files = group(changes, changeValue);
  const fileChanges = files as unknown as Map<GoValue, GoValue>;
  return goStruct(
    'update.Result',
    { FileChanges: fileChanges },
    {
      Changes: () => {
        const seen = new Set<string>();
        const out: GoStruct[] = [];
        for (const c of changes) {
          const k = JSON.stringify([c.oldValue, c.newValue, c.setter]);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(changeValue(c));
        }
        return out;
      },
      Objects: () => mergeObjects(files),
    },
  );
}

/** The policies' new references, one per policy, derived as {@link TemplateChange.image} says. */
function policyImages(changes: readonly TemplateChange[]): Map<string, string> {
  const parts = new Map<string, { image?: string; name?: string; tag?: string }>();
  for (const c of changes) {
    const [ns = '', name = '', field] = c.setter.split(':');
    const policy = `${ns}/${name}`;
    const p = parts.get(policy) ?? {};
    if (c.image !== undefined) p.image = c.image;
    else if (field === undefined) p.image ??= c.newValue;
    else if (field === 'name') p.name = c.newValue;
    else if (field === 'tag') p.tag = c.newValue;
    parts.set(policy, p);
  }
  const out = new Map<string, string>();
  for (const [policy, p] of parts) {
    const image =
      p.image ?? (p.name !== undefined && p.tag !== undefined ? `${p.name}:${p.tag}` : undefined);
    if (image !== undefined) out.set(policy, image);
  }
  return out;
}

/** Flux's `ImageRef`: prints as the reference; `Identifier`, `Repository`, `Registry`, `Name`, `Policy` as methods. */
function imageRef(ref: string, policy: string): GoStruct {
  const [ns = '', name = ''] = policy.split('/');
  const at = ref.indexOf('@');
  const beforeDigest = at < 0 ? ref : ref.slice(0, at);
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/');
  const repoPath = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  const identifier =
    at >= 0 ? ref.slice(at + 1) : hasTag ? beforeDigest.slice(colon + 1) : 'latest';
  const slash = repoPath.indexOf('/');
  const first = slash < 0 ? '' : repoPath.slice(0, slash);
  const explicitRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = explicitRegistry ? first : 'index.docker.io';
  let repository = explicitRegistry ? repoPath.slice(slash + 1) : repoPath;
  if (!explicitRegistry && !repository.includes('/')) repository = `library/${repository}`;
  return goStruct(
    'update.imageRef',
    { Reference: ref },
    {
      String: () => ref,
      Identifier: () => identifier,
      Repository: () => repository,
      Registry: () => registry,
      Name: () => `${registry}/${repository}${at >= 0 ? '@' : ':'}${identifier}`,
      Policy: () => namespacedName(ns, name),
    },
  );
}

function legacyResult(changes: readonly TemplateChange[]): GoStruct {
  const images = policyImages(changes);
  const refs = new Map<string, GoStruct>();
  const refOf = (c: TemplateChange): GoStruct | undefined => {
    const [ns = '', name = ''] = c.setter.split(':');
    const policy = `${ns}/${name}`;
    const image = images.get(policy);
    if (image === undefined) return undefined;
    const key = `${policy} ${image}`;
    let r = refs.get(key);
    if (r === undefined) {
      r = imageRef(image, policy);
      refs.set(key, r);
    }
    return r;
  };
  const grouped = group(changes, refOf);
  // An object lists each policy's ref once, however many of its markers changed.
  const files = new Map<GoValue, GoValue>();
  for (const [file, objects] of grouped) {
    const objs = new Map<GoValue, GoValue>();
    for (const [id, list] of objects)
      objs.set(id, [...new Set(list.filter((r): r is GoStruct => r !== undefined))]);
    files.set(file, goStruct('update.FileResult', { Objects: objs }));
  }
  return goStruct(
    'update.Result',
    { Files: files },
    {
      Images: () => {
        const out: GoStruct[] = [];
        for (const c of changes) {
          const r = refOf(c);
          if (r !== undefined && !out.includes(r)) out.push(r);
        }
        return out;
      },
      Objects: () => {
        const merged = new Map<GoStruct, GoValue[]>();
        for (const [, fr] of sortedEntries(files)) {
          const objs = (fr as GoStruct).fields.Objects as Map<GoValue, GoValue>;
          for (const [id, list] of sortedEntries(objs))
            merged.set(id as GoStruct, [
              ...(merged.get(id as GoStruct) ?? []),
              ...(list as GoValue[]),
            ]);
        }
        return merged as Map<GoValue, GoValue>;
      },
    },
  );
}

/**
 * The Go value a template sees: Flux 1.x's `source.TemplateData`, plus `Updated`
 * when `legacy` (the data of the v1beta1/v1beta2 controllers).
 */
export function toGoValue(data: TemplateData, legacy: boolean): GoStruct {
  const fields: Record<string, GoValue> = {
    AutomationObject: namespacedName(data.automation.namespace, data.automation.name),
  };
  if (legacy) fields.Updated = legacyResult(data.changes);
  fields.Changed = changedResult(data.changes);
  fields.Values = { ...data.values };
  return goStruct('source.TemplateData', fields);
}
