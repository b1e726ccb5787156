import { describe, expect, it } from 'vitest';
import type { AutomationReport, AutomationRunReport } from '../run-types.js';
import { renderReport } from './report-text.js';
import { createStyle } from './style.js';

const plain = createStyle(false);

function report(automations: AutomationRunReport[], extra: Partial<AutomationReport> = {}) {
  return {
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    dryRun: false,
    imageRepositories: [
      {
        repository: 'apps/web',
        image: 'ghcr.io/acme/web',
        status: 'listed' as const,
        tagCount: 1,
      },
      {
        repository: 'apps/api',
        image: 'ghcr.io/acme/api',
        status: 'failed' as const,
        error: { code: 'UNAUTHORIZED', message: '[GET] https://ghcr.io/v2/: 401\nUnauthorized' },
      },
    ],
    policies: [
      {
        policy: 'apps:web',
        repository: 'apps/web',
        status: 'no-candidate' as const,
        reason: 'no tag matches ">=3.0.0"',
        summary: '',
        tagKinds: {},
        excluded: 0,
      },
      {
        policy: 'apps:api',
        repository: 'apps/api',
        status: 'failed' as const,
        reason: 'no tags: listing apps/api failed (UNAUTHORIZED)',
        summary: '',
        tagKinds: {},
        excluded: 0,
        error: { code: 'UNAUTHORIZED', message: 'repeated' },
      },
    ],
    automations,
    ...extra,
  };
}

function automation(extra: Partial<AutomationRunReport>): AutomationRunReport {
  return {
    automation: 'apps/bot',
    status: 'no-change',
    branch: 'main',
    policies: [],
    files: [],
    problems: [],
    attempts: 1,
    ...extra,
  };
}

describe('renderReport', () => {
  it('prints each outcome on one line, with its reason', () => {
    const text = renderReport(
      report([
        automation({ status: 'already-applied' }),
        automation({
          automation: 'apps/left',
          status: 'left-alone',
          branch: 'bot/images',
          foreignCommits: ['0123456789abcdef', 'fedcba9876543210'],
        }),
        automation({
          automation: 'apps/broken',
          status: 'failed',
          error: { code: 'PUSH_REJECTED', message: 'push to main:\nprotected branch' },
        }),
        automation({
          automation: 'apps/pr',
          status: 'pushed',
          branch: 'bot/images',
          commit: { sha: 'abcdef0123456789', message: 'Update images\n\n- web' },
          push: { branch: 'bot/images', after: 'abcdef0123456789' },
          pullRequest: { number: 7, url: 'https://github.com/acme/fleet/pull/7', created: true },
          policies: [
            {
              policy: 'apps:web',
              previous: ['3.1.0'],
              chosen: 'ghcr.io/acme/web:3.0.0',
              decision: 'kept-downgrade',
              keptTag: '3.1.0',
            },
          ],
          problems: [
            { path: 'apps/x.yaml', line: 3, column: 5, kind: 'marker-on-map', message: 'a map' },
          ],
        }),
      ]),
      { style: plain },
    );
    expect(text).toBe(`image repositories
  apps/web  ghcr.io/acme/web  1 tag
  apps/api  ghcr.io/acme/api  failed: UNAUTHORIZED: [GET] https://ghcr.io/v2/: 401 Unauthorized
policies
  apps:web  no tag  no tag matches ">=3.0.0"
    before: 3.1.0
  apps:api  failed  no tags: listing apps/api failed (UNAUTHORIZED)
automation apps/bot: no change (already applied on main)
automation apps/left: left alone: bot/images has 2 commits it did not make (0123456, fedcba9)
automation apps/broken: failed: PUSH_REJECTED: push to main: protected branch
automation apps/pr: pushed abcdef0 to bot/images
  apps:web: kept 3.1.0, which ranks above ghcr.io/acme/web:3.0.0 (allowDowngrade: false)
  problem apps/x.yaml:3:5: a map (marker-on-map)
  pull request #7 opened: https://github.com/acme/fleet/pull/7
  commit message:
    Update images

    - web
`);
  });

  it('keeps only failures and outcome lines when quiet', () => {
    const text = renderReport(
      report([
        automation({
          status: 'pushed',
          commit: { sha: 'abcdef0123456789', message: 'm' },
          push: { branch: 'main', after: 'abcdef0123456789' },
        }),
      ]),
      { style: plain, quiet: true },
    );
    expect(text).toBe(`image repositories
  apps/api  ghcr.io/acme/api  failed: UNAUTHORIZED: [GET] https://ghcr.io/v2/: 401 Unauthorized
policies
  apps:api  failed  no tags: listing apps/api failed (UNAUTHORIZED)
automation apps/bot: pushed abcdef0 to main
`);
  });
});
