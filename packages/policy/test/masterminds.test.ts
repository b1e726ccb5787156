// Cross-check against the Go sources Flux runs: Masterminds/semver v3.4.0
// (constraints.go, version.go) and fluxcd/pkg version.ParseVersion. Every
// expectation was derived by reading that code; `why` names the Go function
// and branch that gives the answer. Rows where we deliberately differ say so
// and name the DESIGN.md section 3 sentence that decides it.
import { expectCode } from '@tagsmith/test-utils';
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError } from '../src/index.js';

/** true: the version is admitted; false: it is not; 'invalid': NewConstraint fails. */
type Outcome = boolean | 'invalid';
type Row = readonly [range: string, version: string, expected: Outcome, why: string];

const spec = (range: string) => ({ policy: { semver: { range } } });

// select drops most tags by their major before the range sees them; explain
// asks the range about every tag, so each row is checked both ways.
function outcome(range: string, version: string): Outcome {
  let policy: ReturnType<typeof compilePolicy>;
  try {
    policy = compilePolicy(spec(range));
  } catch (error) {
    if (error instanceof PolicyError && error.code === 'INVALID_RANGE') return 'invalid';
    throw error;
  }
  const selected = policy.select([version]) === version;
  expect(policy.explain([version]).tags[0]?.kind === 'selected').toBe(selected);
  return selected;
}

const grammar: Row[] = [
  ['>= 1.2.0', '1.2.0', true, 'constraintRegex: \\s* between operator and version'],
  ['>=   1.2.0', '1.3.0', true, 'constraintRegex: any run of \\s after the operator'],
  ['> = 1.2.0', '1.3.0', 'invalid', 'ops are literal alternatives: "> =" is no operator'],
  ['=>1.2.0', '1.2.0', true, 'constraintOps: "=>" is constraintGreaterThanEqual'],
  ['=<1.2.0', '1.2.1', false, 'constraintOps: "=<" is constraintLessThanEqual'],
  ['~>1.2.0', '1.2.9', true, 'constraintOps: "~>" is constraintTilde'],
  ['~ 1.2', '1.2.5', true, 'constraintRegex: space after "~"'],
  ['^ 1.2', '1.9.0', true, 'constraintRegex: space after "^"'],
  ['==1.2.0', '1.2.0', 'invalid', 'after "=" the cv regex cannot start with "="'],
  ['v1.2.3', '1.2.3', true, 'cvRegex: optional lowercase v'],
  ['>=v1.2.3', '1.2.4', true, 'cvRegex: v after an operator'],
  ['V1.2.3', '1.2.3', 'invalid', 'cvRegex: only a lowercase v'],
  ['vv1.2.3', '1.2.3', 'invalid', 'cvRegex: at most one v'],
  ['v', '1.0.0', 'invalid', 'cvRegex: a part must follow the v'],
  [
    'vx',
    '5.0.0',
    true,
    'parseConstraint: v then a wildcard major is 0.0.0 dirty, tilde admits all',
  ],
  ['>=1.2.3,<1.2.5', '1.2.4', true, 'validConstraintRegex: ",\\s*" separates ANDs'],
  ['>=1.2.3 ,<1.2.5', '1.2.4', true, 'validConstraintRegex: trailing \\s* eats spaces before ","'],
  ['>=1.2.3,,<1.2.5', '1.2.4', 'invalid', 'validConstraintRegex: one comma per separator'],
  [',>=1.2.3', '1.2.4', 'invalid', 'validConstraintRegex: a group starts with a constraint'],
  ['>=1.2.3,', '1.2.4', 'invalid', 'validConstraintRegex: a separator needs a constraint after'],
  ['>=1.2.3<1.2.5', '1.2.4', 'invalid', 'validConstraintRegex: \\s+ or "," between constraints'],
  ['  >=1.2.3  ', '1.2.3', true, 'validConstraintRegex: \\s* at both ends'],
  ['>=1.0\t<2.0', '1.5.0', true, 'Go \\s includes tab'],
  ['>=1.0\n<2.0', '1.5.0', true, 'Go \\s includes newline'],
  ['>=1.0\v<2.0', '1.5.0', 'invalid', 'Go \\s is [\\t\\n\\f\\r ], no vertical tab'],
  ['>=1.0\f<2.0', '1.5.0', true, 'Go \\s includes form feed'],
  ['>=1.0\r<2.0', '1.5.0', true, 'Go \\s includes carriage return'],
  ['>=1.0\u00a0<2.0', '1.5.0', 'invalid', 'Go \\s is ASCII only, no NBSP'],
  ['1.2.3 || 1.2.5', '1.2.5', true, 'NewConstraint: strings.Split on "||"'],
  ['1.2.3||1.2.5', '1.2.5', true, 'NewConstraint: "||" needs no spaces'],
  ['1.2.3 | 1.2.5', '1.2.5', 'invalid', 'a lone "|" is a cv part char; NewVersion("|.0.0") fails'],
  ['1.2.3 ||', '1.2.3', 'invalid', 'an empty OR segment fails validConstraintRegex'],
  ['|| 1.2.3', '1.2.3', 'invalid', 'an empty OR segment fails validConstraintRegex'],
  ['1.2.3 ||| 1.2.5', '1.2.5', 'invalid', 'Split leaves "| 1.2.5"; "|" is no version'],
  ['', '1.0.0', 'invalid', 'validConstraintRegex needs one constraint'],
  ['   ', '1.0.0', 'invalid', 'validConstraintRegex needs one constraint'],
  ['x', '0.0.0', true, 'isX major: 0.0.0 dirty; tilde special case admits all'],
  ['X', '3.0.0', true, 'isX accepts X'],
  ['*', '10.1.1', true, 'isX accepts *'],
  ['1x', '1.0.0', 'invalid', 'parseConstraint: "1x" is no wildcard, NewVersion("1x.0.0") fails'],
  ['x1', '1.0.0', 'invalid', 'parseConstraint: "x1" is no wildcard, NewVersion fails'],
  ['xx', '1.0.0', 'invalid', 'isX wants exactly one character'],
  ['1.xx', '1.0.0', 'invalid', 'isX wants exactly one character'],
  ['1.2.xx', '1.2.0', 'invalid', 'isX wants exactly one character'],
  ['*-*', '1.0.0', 'invalid', 'cvRegex: "*" is no prerelease character'],
  ['-1', '1.0.0', 'invalid', 'cvRegex: a version starts with a part'],
  ['a', '1.0.0', 'invalid', 'cvRegex: letters are no part'],
  ['1.0.0p', '1.0.0', 'invalid', 'validConstraintRegex: "p" cannot follow a version'],
  ['1.2.3.4', '1.2.3', 'invalid', 'cvRegex: three parts at most'],
  ['1.x.1x', '1.5.0', true, 'parseConstraint: parts after the first wildcard are never parsed'],
  ['1.x.|', '1.5.0', true, 'cv part class [0-9|x|X|\\*] holds "|"; ignored after a wildcard'],
  ['*.|', '2.0.0', true, 'cv part class holds "|"; ignored after a wildcard major'],
  ['1.2.|', '1.2.0', 'invalid', 'patch "|" is no wildcard: NewVersion("1.2.|") fails'],
  ['>=01.2.3', '1.2.3', true, 'NewVersion (CoerceNewVersion) accepts leading zeros'],
  ['1.2.3-01', '1.2.3-1', 'invalid', 'validatePrerelease: numeric identifier with a leading 0'],
  ['1.x-01', '1.0.0-1', 'invalid', 'validatePrerelease runs on dirty versions too'],
  ['18446744073709551615.0.0', '18446744073709551615.0.0', true, 'ParseUint(.., 64) max'],
  ['18446744073709551616', '1.0.0', 'invalid', 'ParseUint overflow: constraint parser error'],
  ['1.2.3+build', '1.2.3+other', true, 'Version.Equal ignores metadata'],
  ['1.2.3+', '1.2.3', 'invalid', 'cvRegex: metadata needs an identifier'],
  ['1.2.3-', '1.2.3', 'invalid', 'cvRegex: prerelease needs an identifier'],
  ['1.2.3-a..b', '1.2.3-a', 'invalid', 'cvRegex: identifiers are not empty'],
  ['1.2.3--', '1.2.3--', true, 'cvRegex: "-" is an identifier character'],
  ['1.2.3-AZaz09-', '1.2.3-AZaz09-', true, 'cvRegex: identifiers are [0-9A-Za-z-]'],
  ['1.2.3+AZaz09-', '1.2.3', true, 'cvRegex: metadata identifiers are [0-9A-Za-z-]'],
  ['>=1.2.3-RC.9', '1.2.3-RC.10', true, 'comparePrePart: upper case, then numbers by value'],
  ['>=1.2.3-RC.9', '1.2.3-RC.8', false, 'comparePrePart: numbers by value'],
  ...['/', ':', '@', '[', '`', '{', '~', '_'].flatMap((c): Row[] => [
    [`1.2.3-a${c}b`, '1.2.3-a', 'invalid', `cvRegex: "${c}" is no identifier character`],
    [`1.2.3+a${c}b`, '1.2.3', 'invalid', `cvRegex: "${c}" is no identifier character`],
  ]),
  ['1.2.3-a01', '1.2.3-a01', true, 'validatePrerelease: only a numeric identifier is checked'],
  ['1.2.3-01a', '1.2.3-01a', true, 'validatePrerelease: "01a" is alphanumeric'],
  ['1.2.3-001', '1.2.3-1', 'invalid', 'validatePrerelease: any leading 0 of a number'],
  ['1.2.3-rc.01', '1.2.3-rc.1', 'invalid', 'validatePrerelease: every identifier'],
];

const hyphen: Row[] = [
  ['1.2 - 1.4.5', '1.4.5', true, 'rewriteRange: ">= 1.2, <= 1.4.5"'],
  ['1.2 - 1.4.5', '1.4.6', false, 'rewriteRange: <= 1.4.5 is exact'],
  ['1.2 - 1.4.5', '1.1.9', false, 'rewriteRange: >= 1.2 is >= 1.2.0'],
  ['1 - 2', '2.9.9', true, 'constraintLessThanEqual dirty: only a greater major fails <=2'],
  ['1 - 2', '3.0.0', false, 'constraintLessThanEqual dirty: major 3 > 2'],
  ['1.2 - 1.4', '1.4.99', true, 'constraintLessThanEqual dirty: minor 4 is not > 4'],
  ['1.2 - 1.4', '1.5.0', false, 'constraintLessThanEqual dirty: minor 5 > 4'],
  ['1.2-1.4', '1.2.5', true, 'no spaces: cv reads 1.2 with prerelease "1.4"; tilde 1.2.0-1.4'],
  ['1.2-1.4', '1.3.0', false, 'no spaces: tilde keeps minor 2'],
  ['1.2-1.4', '1.2.0-2', true, 'no spaces: the group has a prerelease, so prereleases count'],
  ['1.2 -1.4', '1.3.0', 'invalid', 'constraintRangeRegex needs \\s+ after "-"'],
  ['1.2- 1.4', '1.3.0', 'invalid', 'constraintRangeRegex needs \\s+ before "-"'],
  ['>=0 1 - 2', '1.5.0', 'invalid', 'rewriteRange swallows the space: ">=0>= 1, <= 2"'],
  ['>=0, 1 - 2', '1.5.0', true, 'rewriteRange after a comma: ">=0,>= 1, <= 2"'],
  ['1 - 5 3 - 4', '3.5.0', true, 'first rewrite eats the space and ends with one: 4 ANDed'],
  ['1 - 5 3 - 4', '4.5.0', true, '<= 4 is dirty: major 4 passes'],
  ['1 - 5 3 - 4', '2.5.0', false, '>= 3 fails'],
  ['1 - 2 >=1.5', '1.6.0', true, '">= 1, <= 2 >=1.5"'],
  ['>1 - 2', '1.5.0', 'invalid', 'rewrite glues: ">>= 1, <= 2"'],
  ['=1 - 2', '1.5.0', 'invalid', 'rewrite glues: "=>= 1, <= 2"'],
  ['1 - 2 - 3', '1.5.0', 'invalid', 'leftover "- 3" after the rewrite'],
  ['1.0.0-alpha - 2', '1.5.0-beta', true, 'a prerelease bound opens the group'],
  ['v1 - v2', '2.5.0', true, 'cvRegex v prefix on both bounds'],
  ['x - 1', '1.9.9', true, '>= x is >= 0.0.0; <= 1 is dirty'],
  ['1 || 2 - 3', '1.5.0', true, 'the hyphen range is its own OR group'],
  ['1 || 2 - 3', '3.5.0', true, '<= 3 is dirty'],
  ['1||2 - 3', '5.0.0', true, 'cv part class holds "|": A is "1||2", read ">= 1||2, <= 3"'],
  ['1||2 - 3', '2.5.0', true, 'second group "2, <= 3"'],
  ['1 ||2 - 3', '1.0.0', 'invalid', 'rewrite of " ||2 - 3" glues ">=" onto "1"'],
  ['1 - 2||3', '3.5.0', true, 'B is "2||3": ">= 1, <= 2||3" splits to "3"'],
];

const operators: Row[] = [
  ['1.2.3', '1.2.3', true, 'constraintTildeOrEqual clean: Equal'],
  ['1.2.3', '1.2.4', false, 'constraintTildeOrEqual clean: Equal'],
  ['=1.2', '1.2.9', true, 'constraintTildeOrEqual dirty: constraintTilde'],
  ['1', '1.9.0', true, 'constraintTildeOrEqual dirty, minorDirty: same major'],
  ['1', '2.0.0', false, 'constraintTilde: major differs'],
  ['0', '0.9.0', true, 'constraintTilde: ~0 is not the 0.0.0 special case (minorDirty)'],
  ['0', '1.0.0', false, 'constraintTilde: major differs'],
  ['0.0', '0.0.5', true, 'constraintTilde patchDirty: same major and minor'],
  ['0.0', '0.1.0', false, 'constraintTilde: minor differs'],
  ['0.0.0', '0.0.1', false, 'constraintTildeOrEqual clean: Equal only'],
  ['=*', '4.0.0', true, 'constraintTildeOrEqual dirty: ~0.0.0 admits all'],
  ['!=1.2.3', '1.2.4', true, 'constraintNotEqual clean: !Equal'],
  ['!=1.2.3', '1.2.3+meta', false, 'constraintNotEqual: Equal ignores metadata'],
  ['!=1.x', '1.5.0', false, 'constraintNotEqual dirty minorDirty: same major is equal'],
  ['!=1.x', '2.0.0', true, 'constraintNotEqual dirty: major differs'],
  ['!=1.2', '1.2.7', false, 'constraintNotEqual patchDirty, no prereleases: equal'],
  ['!=1.2', '1.3.0', true, 'constraintNotEqual dirty: minor differs'],
  ['!=*', '0.0.0', false, 'constraintNotEqual dirty, no part dirty flag: falls to Equal(0.0.0)'],
  ['!=*', '0.0.1', true, 'constraintNotEqual dirty: patch differs, patchDirty false'],
  ['!=*', '5.0.0', true, 'constraintNotEqual dirty: major differs'],
  ['!=1.2, >=0.0.0-0', '1.2.5-beta', true, 'patchDirty: comparePrerelease("beta", "") != 0'],
  ['!=1.2-beta', '1.2.7-beta', false, 'patchDirty: comparePrerelease equal'],
  ['!=1.2-beta', '1.2.7-alpha', true, 'patchDirty: comparePrerelease differs'],
  ['!=1.2-beta', '1.2.7', true, 'patchDirty: constraint has a prerelease, version none'],
  ['!=1.2.3-beta', '1.2.3-beta', false, 'constraintNotEqual clean: Equal'],
  ['!=1.2.3', '1.2.4-beta', false, 'group without a prerelease: includePre is false'],
  ['!=1.2', '2.2.0', true, 'constraintNotEqual patchDirty: major differs'],
  ['!=1.2', '1.1.0', true, 'constraintNotEqual patchDirty: minor differs'],
  ['!=1.x', '0.5.0', true, 'constraintNotEqual minorDirty: major differs'],
  ['!=1', '1.0.0', false, 'constraintNotEqual minorDirty: same major'],
  ['!=1.2.3', '1.2.3', false, 'constraintNotEqual clean: Equal'],
  ['!=1.2.3', '1.3.3', true, 'constraintNotEqual clean: minor differs'],
  ['!=1.2.3', '2.2.3', true, 'constraintNotEqual clean: major differs'],
  ['>1.2.3', '1.2.4', true, 'constraintGreaterThan clean: Compare'],
  ['>1.2.3', '1.2.3', false, 'constraintGreaterThan clean: Compare'],
  ['>1.2', '1.2.9', false, 'constraintGreaterThan patchDirty: minor must be greater'],
  ['>1.2', '1.3.0', true, 'constraintGreaterThan patchDirty: minor greater'],
  ['>1', '1.9.9', false, 'constraintGreaterThan minorDirty: same major fails'],
  ['>1', '2.0.0', true, 'constraintGreaterThan dirty: greater major'],
  ['>0', '0.5.0', false, 'constraintGreaterThan minorDirty: >0 is >=1.0.0'],
  ['>*', '0.0.0', false, 'constraintGreaterThan dirty, no part flag: falls to Compare'],
  ['>*', '0.0.1', true, 'constraintGreaterThan dirty: Compare > 0.0.0'],
  ['>1.x.5', '1.9.0', false, 'minorDirty: the .5 is ignored'],
  ['>1.2.x', '1.2.9', false, 'patchDirty: minor must be greater'],
  ['>1.2.3-beta', '1.2.3', true, 'constraintGreaterThan clean: release > its prerelease'],
  ['>1.2-beta', '1.2.5-rc', false, 'patchDirty branch looks at the minor only'],
  ['>1.2-beta', '1.3.0-alpha', true, 'patchDirty branch: minor greater, group has a prerelease'],
  ['>1.2', '2.0.0', true, 'constraintGreaterThan patchDirty: greater major'],
  ['>1.2', '0.9.0', false, 'constraintGreaterThan patchDirty: lower major'],
  ['>1.2', '0.3.0', false, 'constraintGreaterThan patchDirty: lower major, greater minor'],
  ['>1', '0.5.0', false, 'constraintGreaterThan minorDirty: lower major'],
  ['>1.2.3', '1.3.0', true, 'constraintGreaterThan clean: greater minor'],
  ['>1.2.3', '2.0.0', true, 'constraintGreaterThan clean: greater major'],
  ['>1.2.3', '1.2.2', false, 'constraintGreaterThan clean: lower patch'],
  ['<1.2', '1.1.9', true, 'constraintLessThan: Compare with 1.2.0'],
  ['<1.2', '1.2.0', false, 'constraintLessThan has no dirty branch'],
  ['<1', '1.0.0', false, 'constraintLessThan: Compare with 1.0.0'],
  ['<1.x', '0.9.9', true, 'constraintLessThan: Compare with 1.0.0'],
  ['<2.0.5', '2.0.4', true, 'constraintLessThan: a non-zero patch admits its own major'],
  ['<2.1.0', '2.0.9', true, 'constraintLessThan: a non-zero minor admits its own major'],
  ['<2.0.0', '1.9.9', true, 'constraintLessThan: Compare with 2.0.0'],
  ['<2.0.0', '2.0.0', false, 'constraintLessThan: Compare with 2.0.0'],
  ['<2.0.0-0', '2.0.0-0', false, 'constraintLessThan: not below itself'],
  ['<*', '0.0.0', false, 'constraintLessThan: nothing is below 0.0.0'],
  ['<2.0.0', '2.0.0-rc.1', false, 'group without a prerelease: includePre is false'],
  ['<2.0.0-0', '1.9.9-beta', true, 'group has a prerelease; Compare'],
  ['<2.0.0-0', '2.0.0-rc.1', false, 'comparePrePart: "0" is numeric, sorts before "rc"'],
  ['>=1.0.0-0 <2.0.0', '2.0.0-rc.1', true, 'includePre is per group (3.4.0 #267)'],
  ['<=1.2', '1.2.99', true, 'constraintLessThanEqual patchDirty: minor not greater'],
  ['<=1.2', '1.3.0', false, 'constraintLessThanEqual patchDirty: minor greater'],
  ['<=1', '1.99.0', true, 'constraintLessThanEqual minorDirty: same major'],
  ['<=1', '2.0.0', false, 'constraintLessThanEqual dirty: greater major'],
  ['<=*', '0.0.9', true, 'constraintLessThanEqual dirty, no part flag: minor 0 passes'],
  ['<=*', '0.1.0', false, 'constraintLessThanEqual dirty, no part flag: minor > 0 fails'],
  ['<=1.2.3', '1.2.4', false, 'constraintLessThanEqual clean: Compare'],
  ['<=1.2-beta', '1.2.0', true, 'constraintLessThanEqual dirty ignores prereleases'],
  ['>=1.2', '1.1.9', false, 'constraintGreaterThanEqual: Compare with 1.2.0'],
  ['>=*', '0.0.0', true, 'constraintGreaterThanEqual: Compare with 0.0.0'],
  ['>=1.2.3-beta.2', '1.2.3-beta.10', true, 'comparePrePart: numbers compare as numbers'],
  ['>=1.2.3-beta.2', '1.2.3-beta.1', false, 'comparePrePart: numbers compare as numbers'],
  ['>=1.2.3-alpha', '1.2.3-alpha.1', true, 'comparePrerelease: more identifiers is greater'],
  ['>=1.2.3-1', '1.2.3-alpha', true, 'comparePrePart: words sort after numbers'],
  ['~1.2.3', '1.2.9', true, 'constraintTilde: same major and minor'],
  ['~1.2.3', '1.3.0', false, 'constraintTilde: minor differs'],
  ['~1.2.3', '1.2.2', false, 'constraintTilde: LessThan'],
  ['~1', '1.9.0', true, 'constraintTilde minorDirty: any minor'],
  ['~1', '2.0.0', false, 'constraintTilde: major differs'],
  ['~0', '1.0.0', false, 'constraintTilde: minorDirty rules out the 0.0.0 special case'],
  ['~0.0', '0.1.0', false, 'constraintTilde: patchDirty rules out the special case'],
  ['~0.0.0', '9.9.9', true, 'constraintTilde: ~0.0.0 admits everything'],
  ['~*', '9.9.9', true, 'constraintTilde: wildcard major is the special case'],
  ['~x.5', '9.0.0', true, 'wildcard major: parts after it ignored'],
  ['~>0.1', '0.2.0', false, 'constraintTilde: minor differs'],
  ['~1.0.0', '2.0.0', false, 'constraintTilde: only 0.0.0 is the special case'],
  ['~1.0.0', '1.0.7', true, 'constraintTilde: same major and minor'],
  ['~0.0.5', '1.0.0', false, 'constraintTilde: 0.0.5 is no special case'],
  ['~0.0.5', '0.1.0', false, 'constraintTilde: minor differs'],
  ['~0.0.5', '0.0.9', true, 'constraintTilde: same major and minor'],
  ['~0.1.0', '0.2.0', false, 'constraintTilde: 0.1.0 is no special case'],
  ['~1.2.3-beta', '1.2.3-beta.2', true, 'constraintTilde with a prerelease group'],
  ['~1.2.3-beta', '1.2.4-alpha', true, 'constraintTilde: same minor, group has a prerelease'],
  ['~1.2.3-beta', '1.3.0-alpha', false, 'constraintTilde: minor differs'],
  ['^1.2.3', '1.9.9', true, 'constraintCaret: major > 0 keeps the major'],
  ['^1.2.3', '2.0.0', false, 'constraintCaret: major differs'],
  ['^1.2.3', '1.2.2', false, 'constraintCaret: LessThan'],
  ['^1', '1.0.0', true, 'constraintCaret minorDirty'],
  ['^0', '0.9.0', true, 'constraintCaret: minorDirty keeps major 0'],
  ['^0', '1.0.0', false, 'constraintCaret: minorDirty, major differs'],
  ['^0.0', '0.0.9', true, 'constraintCaret patchDirty: minor must match'],
  ['^0.0', '0.1.0', false, 'constraintCaret patchDirty: minor differs'],
  ['^0.0.0', '0.0.0', true, 'constraintCaret: 0.0.z is exact'],
  ['^0.0.0', '0.0.1', false, 'constraintCaret: 0.0.z is exact'],
  ['^0.0.3', '0.0.4', false, 'constraintCaret: 0.0.z is exact'],
  ['^0.2.3', '0.2.9', true, 'constraintCaret: 0.y.z keeps the minor'],
  ['^0.2.3', '0.3.0', false, 'constraintCaret: minor differs'],
  ['^0.x', '0.9.0', true, 'constraintCaret minorDirty: major 0'],
  ['^0.x', '1.0.0', false, 'constraintCaret minorDirty: same major only'],
  ['^0', '2.1.0', false, 'constraintCaret minorDirty: same major only'],
  ['^0.2.3', '1.2.5', false, 'constraintCaret: major 0 constraint rejects major > 0'],
  ['^0.0.3', '0.1.3', false, 'constraintCaret: minor 0 constraint rejects minor > 0'],
  ['^0.0.3', '1.0.3', false, 'constraintCaret: major 0 constraint rejects major > 0'],
  ['^0.0', '1.0.5', false, 'constraintCaret patchDirty: major 0 constraint rejects major > 0'],
  ['^0.0.x', '0.1.0', false, 'constraintCaret patchDirty: minor must match'],
  ['^*', '0.0.0', true, 'constraintCaret: wildcard major is 0.0.0 with no part flag'],
  ['^*', '0.0.1', false, 'constraintCaret: falls to exact patch (not "any" as its comment says)'],
  ['^*', '1.0.0', false, 'constraintCaret: major 0 constraint rejects major > 0'],
  ['^x.2', '1.0.0', false, 'wildcard major: same as ^*'],
  ['^1.2.3-beta', '1.2.3-beta.1', true, 'constraintCaret with a prerelease group'],
  ['^1.2.3-beta', '1.5.0-rc', true, 'constraintCaret: any prerelease of major 1 above the bound'],
  ['^1.2.3-beta', '2.0.0-alpha', false, 'constraintCaret: major differs'],
];

const prereleases: Row[] = [
  ['1.0.x', '1.0.5-beta', false, 'Check: includePre is false without a prerelease in the group'],
  ['>=1.0.0-0 <2.0.0', '1.5.0-beta', true, 'containsPre for the group opens every comparator'],
  ['>=1.0.0 <2.0.0-0', '1.5.0-beta', true, 'any comparator of the group counts'],
  ['*', '1.0.0-rc.1', false, 'constraintTildeOrEqual: prerelease rejected first'],
  ['*-0', '1.0.0-rc.1', true, 'wildcard with a prerelease: 0.0.0-0 opens the group'],
  ['1.x-0 || 2.x', '2.1.0-beta', false, 'containsPre is per OR group'],
  ['1.x-0 || 2.x', '1.5.0-beta', true, 'containsPre is per OR group'],
  ['~1.2.3-beta', '1.2.5', true, 'releases are always candidates'],
  ['1.2.3-beta', '1.2.3-beta.1', false, 'constraintTildeOrEqual clean: Equal'],
];

// fluxcd/pkg version.ParseVersion: at least two dots anywhere in the tag
// (SplitN(v, ".", 3) has three parts), then Masterminds NewVersion with
// CoerceNewVersion (coerceNewVersion: the loose regex `v?([0-9]+)(\.[0-9]+)?
// (\.[0-9]+)?(-ids)?(\+ids)?`, anchored; ParseUint(.., 10, 64) per part, a
// missing part is 0; then validatePrerelease and validateMetadata).
const tags: Row[] = [
  ['>=0.0.0-0', '1.2.3', true, 'ParseVersion: plain version'],
  ['>=0.0.0-0', 'v1.2.3', true, 'looseSemVerRegex: v?'],
  ['>=0.0.0-0', 'V1.2.3', false, 'looseSemVerRegex: lowercase v only'],
  ['>=0.0.0-0', 'vv1.2.3', false, 'looseSemVerRegex: one v'],
  ['>=0.0.0-0', '1.2', false, 'ParseVersion: SplitN gives two parts'],
  ['>=0.0.0-0', 'v1.0', false, 'ParseVersion: SplitN gives two parts'],
  ['>=0.0.0-0', 'v1', false, 'ParseVersion: SplitN gives one part'],
  ['>=0.0.0-0', '1.2.3.4', false, 'looseSemVerRegex: three numeric parts at most'],
  ['>=0.0.0-0', 'v2025.07.03', true, 'CoerceNewVersion: leading zeros allowed'],
  ['>=0.0.0-0', '1.2.3-01', false, 'validatePrerelease: leading zero'],
  ['>=0.0.0-0', '1.2.3-0', true, 'validatePrerelease: a lone 0 is fine'],
  ['>=0.0.0-0', '1.2.3+01', true, 'validateMetadata: leading zeros allowed'],
  ['>=0.0.0-0', '1.2.3-', false, 'looseSemVerRegex: empty prerelease'],
  ['>=0.0.0-0', '1.2.3+', false, 'looseSemVerRegex: empty metadata'],
  ['>=0.0.0-0', '1.2.3-a..b', false, 'looseSemVerRegex: empty identifier'],
  ['>=0.0.0-0', '1.2.3-a_b', false, 'looseSemVerRegex: "_" is no identifier character'],
  ['>=0.0.0-0', '1.2.3+a+b', false, 'looseSemVerRegex: one "+"'],
  ['>=0.0.0-0', '1.2.3--1', true, 'looseSemVerRegex: prerelease "-1" is alphanumeric'],
  ['>=0.0.0-0', ' 1.2.3', false, 'looseSemVerRegex is anchored'],
  ['>=0.0.0-0', '1.2.3\n', false, 'looseSemVerRegex is anchored ($ without m flag)'],
  ['>=0.0.0-0', '18446744073709551615.0.0', true, 'ParseUint(.., 64) max'],
  ['>=0.0.0-0', '18446744073709551616.0.0', false, 'ParseUint overflow'],
];

// The two dots need not be in the core: Flux reads these with the missing
// minor/patch filled in as 0 (coerceNewVersion: m[2]/m[3] empty -> 0).
const shortCores: Row[] = [
  ['>=0.0.0-0', '1.2-rc.1', true, 'two dots; coerceNewVersion reads 1.2.0-rc.1'],
  ['>=0.0.0-0', 'v1.2-beta.5', true, 'two dots; v? then 1.2.0-beta.5'],
  ['>=0.0.0-0', '1-rc.1.2', true, 'two dots, both in the prerelease; 1.0.0-rc.1.2'],
  ['>=0.0.0-0', '1.2+build.5', true, 'two dots; metadata dots count; 1.2.0+build.5'],
  ['>=0.0.0-0', '2+1.sha.abc', true, 'two dots, both in the metadata; 2.0.0+1.sha.abc'],
  ['>=0.0.0-0', '1.2-rc.1+b', true, 'two dots; 1.2.0-rc.1+b'],
  ['>=0.0.0-0', '1-a.b+c.d', true, 'one dot in each of prerelease and metadata'],
  ['>=0.0.0-0', 'v2025.07-rc.1', true, 'leading zeros in a short core; 2025.7.0-rc.1'],
  ['>=0.0.0-0', '1.2--rc.1', true, 'prerelease "-rc.1": "-" is an identifier character'],
  ['>=0.0.0-0', '1.2-rc1', false, 'ParseVersion: one dot in all'],
  ['>=0.0.0-0', '1-rc.1', false, 'ParseVersion: one dot in all'],
  ['>=0.0.0-0', '1+a.b', false, 'ParseVersion: one dot in all'],
  ['>=0.0.0-0', '1-2.3', false, 'ParseVersion: one dot; "2.3" would be the prerelease'],
  ['>=0.0.0-0', '2+1', false, 'ParseVersion: no dot'],
  ['>=0.0.0-0', 'latest', false, 'ParseVersion: no dot'],
  ['>=0.0.0-0', 'a.b.c', false, 'looseSemVerRegex: a version starts with a number'],
  ['>=0.0.0-0', '1..2', false, 'looseSemVerRegex: "." must be followed by a number'],
  ['>=0.0.0-0', '1.2.-rc.1', false, 'looseSemVerRegex: "." must be followed by a number'],
  ['>=0.0.0-0', '.1.2', false, 'looseSemVerRegex: a version starts with a number'],
  ['>=0.0.0-0', '1.2-.a.b', false, 'looseSemVerRegex: the prerelease starts with an identifier'],
  ['>=0.0.0-0', '1.2-rc.1.', false, 'looseSemVerRegex: empty last identifier'],
  ['>=0.0.0-0', '1.2-rc.01', false, 'validatePrerelease: numeric identifier with a leading 0'],
  ['>=0.0.0-0', '1.2+01.a', true, 'validateMetadata: leading zeros allowed in metadata'],
  ['>=0.0.0-0', 'V1.2-rc.1', false, 'looseSemVerRegex: lowercase v only'],
  ['>=0.0.0-0', '1.2-rc.1 ', false, 'looseSemVerRegex is anchored'],
  ['>=0.0.0-0', '18446744073709551615-a.b.c', true, 'ParseUint(.., 64) max in a short core'],
  ['>=0.0.0-0', '18446744073709551616-a.b.c', false, 'ParseUint overflow in a short core'],
  ['>=0.0.0-0', '1.18446744073709551616-a.b', false, 'ParseUint overflow in the minor'],
  // What the filled-in version is compared as.
  ['1.2.0-rc.1', '1.2-rc.1', true, 'constraintTildeOrEqual clean: Equal to 1.2.0-rc.1'],
  ['>1.2.0-rc.1', '1.2-rc.1', false, 'Compare: equal to 1.2.0-rc.1'],
  ['>=1.2.1-0', '1.2-rc.1', false, 'Compare: 1.2.0-rc.1 is below 1.2.1-0'],
  ['~1.2.0-0', 'v1.2-beta.5', true, 'constraintTilde: 1.2.0-beta.5, same major and minor'],
  ['=2.0.0', '2+1.sha.abc', true, 'Equal ignores metadata: 2.0.0'],
  ['<2.0.0', '2+1.sha.abc', false, 'Compare: 2.0.0 is not below itself'],
  ['1.2.x', '1.2+build.5', true, 'constraintTilde: 1.2.0 is a release'],
  ['1.2.x', '1.2-rc.1', false, 'Check: includePre is false without a prerelease in the group'],
  ['>=1.0.0-0 <2', '1-rc.1.2', true, 'the group has a prerelease: 1.0.0-rc.1.2 counts'],
  ['>=1.0.0 <2', '1-rc.1.2', false, 'Check: includePre false; 1.0.0-rc.1.2 is a prerelease'],
];

describe.each([
  ['range grammar', grammar],
  ['hyphen ranges', hyphen],
  ['operators', operators],
  ['prereleases per AND group', prereleases],
  ['Flux tag parsing', tags],
  ['Flux tag parsing, cores with missing parts', shortCores],
] as const)('Masterminds/semver 3.4.0: %s', (_name, rows) => {
  it.each(rows)('%j admits %j: %j (%s)', (range, version, expected) => {
    expect(outcome(range, version)).toBe(expected);
  });
});

describe('Masterminds/semver 3.4.0: errors after hyphen expansion point into the original range', () => {
  it.each([
    // rewriteRange turns " ||2 - 3" into ">= ||2, <= 3 ", gluing ">=" onto "1".
    ['1 ||2 - 3', 3, '"1>= ||2, <= 3 "'],
    // ">= 1, <= 2 " then the leftover "- 3", which is no comparator.
    ['1 - 2 - 3', 7, '">= 1, <= 2 - 3"'],
    ['>=0 1 - 2', 5, '">=0>= 1, <= 2 "'],
  ])('%j fails at column %i and shows %s', (range, column, expanded) => {
    const policyError = expectCode(() => compilePolicy(spec(range)), PolicyError, 'INVALID_RANGE');
    expect(policyError.code).toBe('INVALID_RANGE');
    expect(policyError.range).toBe(range);
    expect(policyError.column).toBe(column);
    expect(policyError.message).toContain(`column ${column}`);
    expect(policyError.message).toContain(
      `hyphen ranges expanded, as Masterminds does: ${expanded}`,
    );
  });

  it('keeps the message plain when there is no hyphen range', () => {
    expect(() => compilePolicy(spec('>1<2'))).toThrow(PolicyError);
    try {
      compilePolicy(spec('>1<2'));
    } catch (error) {
      expect((error as PolicyError).message).not.toContain('hyphen ranges expanded');
    }
  });
});
