// @tagsmith/policy: `select` over 100,000 mixed tags beside node-semver's
// maxSatisfying (the usual JavaScript answer) and one plain regex pass (the
// floor: touching every tag once). Targets: >= 5x faster than maxSatisfying,
// within 3x of the regex pass.
import { compilePolicy } from '@tagsmith/policy';
import semver from 'semver';
import { median, ms, ratio, report } from './harness.mjs';

const COUNT = 100_000;

// Deterministic tags: plain, v-prefixed, prerelease, build metadata and
// non-semver, in a fixed pseudo-random order.
function generateTags(count) {
  let seed = 42;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor(seed / 65536) % n;
  };
  const tags = [];
  for (let i = 0; i < count; i++) {
    const core = `${next(8)}.${next(30)}.${next(100)}`;
    const kind = next(10);
    if (kind < 4) tags.push(core);
    else if (kind < 6) tags.push(`v${core}`);
    else if (kind < 7) tags.push(`${core}-rc.${next(10)}`);
    else if (kind < 8) tags.push(`${core}+build.${next(1000)}`);
    else if (kind < 9) tags.push(`main-${(next(0xffffff) + 0x1000000).toString(16)}`);
    else
      tags.push(
        ['latest', 'stable', `${next(20)}.${next(10)}`, `2024-0${next(9) + 1}-1${next(9)}`][
          next(4)
        ],
      );
  }
  // Tags arrive from a registry as parsed JSON, i.e. flat strings; template
  // literals would leave V8 cons-strings that every reader pays to walk.
  return JSON.parse(JSON.stringify(tags));
}

const tags = generateTags(COUNT);
const range = '>=1.0.0 <5.0.0';
const policy = compilePolicy({ policy: { semver: { range } } });
const versionLike = /^v?\d+\.\d+\.\d+/;

const ours = policy.select(tags);
const theirs = semver.maxSatisfying(tags, range, { loose: true });
console.log(`select -> ${ours}; maxSatisfying -> ${theirs}`);

let sink = 0;
const runSelect = () => {
  sink += policy.select(tags)?.length ?? 0;
};
const runRegex = () => {
  let count = 0;
  for (const tag of tags) if (versionLike.test(tag)) count++;
  sink += count;
};
// The two fast measurements alternate in rounds, so a busy neighbour on a
// shared machine slows both alike instead of skewing their ratio.
const selectRounds = [];
const regexRounds = [];
for (let round = 0; round < 7; round++) {
  selectRounds.push(await median(runSelect));
  regexRounds.push(await median(runRegex));
}
const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const tSelect = middle(selectRounds);
const tRegex = middle(regexRounds);
const tSemver = await median(
  () => {
    sink += semver.maxSatisfying(tags, range, { loose: true })?.length ?? 0;
  },
  { runs: 5, warmup: 1 },
);

// Worst case for select: every tag beats the one before (ascending versions,
// unbounded range), so every tag is scanned, compared and range-checked.
const ascending = JSON.parse(
  JSON.stringify(
    Array.from({ length: COUNT }, (_, i) => `${i >> 14}.${(i >> 7) & 127}.${i & 127}`),
  ),
);
const everything = compilePolicy({ policy: { semver: { range: '*' } } });
const worstRounds = [];
const worstRegexRounds = [];
for (let round = 0; round < 5; round++) {
  worstRounds.push(
    await median(() => {
      sink += everything.select(ascending)?.length ?? 0;
    }),
  );
  worstRegexRounds.push(
    await median(() => {
      let count = 0;
      for (const tag of ascending) if (versionLike.test(tag)) count++;
      sink += count;
    }),
  );
}
const tWorst = middle(worstRounds);
const tWorstRegex = middle(worstRegexRounds);

// explain() must stay cheap enough for 10,000 tags: one entry object per tag.
const tenThousand = tags.slice(0, 10_000);
const tExplain = await median(() => {
  sink += policy.explain(tenThousand).tags.length;
});
const tSelect10k = await median(() => {
  sink += policy.select(tenThousand)?.length ?? 0;
});

report(`policy select, ${COUNT.toLocaleString('en')} mixed tags, range "${range}"`, [
  ['select (median)', ms(tSelect)],
  ['semver.maxSatisfying loose (median)', ms(tSemver)],
  ['one regex pass (median)', ms(tRegex)],
  ['maxSatisfying / select (target >= 5x)', ratio(tSemver, tSelect)],
  ['select / regex pass (target <= 3x)', ratio(tSelect, tRegex)],
]);
report(`worst case: ${COUNT.toLocaleString('en')} ascending versions, range "*"`, [
  ['select (median)', ms(tWorst)],
  ['one regex pass (median)', ms(tWorstRegex)],
  ['select / regex pass', ratio(tWorst, tWorstRegex)],
]);
report('explain, first 10,000 of the mixed tags', [
  ['explain (median)', ms(tExplain)],
  ['select, same tags (median)', ms(tSelect10k)],
  ['explain / select', ratio(tExplain, tSelect10k)],
]);
if (sink === 0) console.log('(nothing selected)');
