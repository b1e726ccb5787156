// Reads a Stryker JSON report and scores each file the way issue 12 asks: killed over
// killed + survived + no coverage. Timeouts are left out of both sides (a mutant that
// hangs is caught, but by the timer, not by an assertion), and so are mutants marked
// `// Stryker disable` as equivalent, each with its reason in the source.
import { readFileSync } from 'node:fs';

/** The lowest score a target file may have. */
export const MINIMUM_SCORE = 85;

/** Per file: counts by status and the score, from reports/mutation/<package>.json. */
export function scoreReport(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  return Object.entries(report.files).map(([file, { mutants }]) => {
    const count = (status) => mutants.filter((mutant) => mutant.status === status).length;
    const killed = count('Killed');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const counted = killed + survived + noCoverage;
    return {
      file,
      killed,
      survived,
      noCoverage,
      timeout: count('Timeout'),
      ignored: count('Ignored'),
      score: counted === 0 ? 100 : (100 * killed) / counted,
    };
  });
}

/** The table printed after a package's run. */
export function formatScores(rows) {
  const lines = rows.map(
    (row) =>
      `  ${row.file.padEnd(44)} ${row.score.toFixed(1).padStart(5)}%  killed ${row.killed}, survived ${row.survived}, no coverage ${row.noCoverage}, timeout ${row.timeout}, ignored ${row.ignored}${row.score < MINIMUM_SCORE ? `  (below ${MINIMUM_SCORE}%)` : ''}`,
  );
  return `score = killed / (killed + survived + no coverage); timeouts and ignored left out\n${lines.join('\n')}`;
}
