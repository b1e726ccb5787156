// vitest 5 targets Node 22+, and its reporter calls Map.groupBy and
// Object.groupBy (Node 21+) when it prints failures. On Node 20, our minimum,
// that throws and hides the failure details and the summary. These two
// spec-conformant fallbacks run in the vitest main process only (imported by
// vitest.config.ts); no published package sees them.
type GroupBy<C> = <T, K>(items: Iterable<T>, key: (item: T, index: number) => K) => C;

function groupInto<T, K>(items: Iterable<T>, key: (item: T, index: number) => K) {
  const groups = new Map<K, T[]>();
  let index = 0;
  for (const item of items) {
    const k = key(item, index++);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const MapWithGroupBy = Map as unknown as { groupBy?: GroupBy<Map<unknown, unknown[]>> };
MapWithGroupBy.groupBy ??= groupInto;

const ObjectWithGroupBy = Object as unknown as {
  groupBy?: GroupBy<Record<PropertyKey, unknown[]>>;
};
ObjectWithGroupBy.groupBy ??= (items, key) =>
  Object.assign(Object.create(null), Object.fromEntries(groupInto(items, key)));
