// The console's read-only reports (docs/editorial.md): past editions with their figures, subscribers, and
// comparisons.
import { Hono } from 'hono';
import { listEditions } from '../../adapters/edition-repository.js';
import { requireWeek, weekLabel } from '../../domain/weeks.js';
import { comparisonListing } from '../../services/comparison-listing.js';
import { engagementStats } from '../../services/engagement.js';
import { findSubscribers, subscriberOverview } from '../../services/subscriber-overview.js';
import type { WebDeps } from '../app.js';
import { type AdminEnv, shellOf } from './console-request.js';
import { comparisonsPage, editionsPage, subscribersPage } from './report-pages.js';

export function createReportRoutes(deps: WebDeps): Hono<AdminEnv> {
  const { db, config } = deps;
  const admin = new Hono<AdminEnv>();

  admin.get('/editions', async (c) => {
    const stats = new Map((await engagementStats({ db })).map((entry) => [entry.week, entry]));
    const editions = (await listEditions(db)).flatMap((edition) => {
      const figures = stats.get(edition.week_key);
      return figures
        ? [
            {
              weekKey: edition.week_key,
              label: weekLabel(requireWeek(edition.week_key)),
              status: edition.status,
              subject: edition.subject,
              reason: edition.reason,
              approvedBy: edition.approved_by,
              finishedAt: edition.finished_at,
              stats: figures,
            },
          ]
        : [];
    });
    return c.html(
      editionsPage({ shell: shellOf(config, c.get('session')), editions, timeZone: config.timeZone }),
    );
  });

  admin.get('/subscribers', async (c) => {
    const query = (c.req.query('q') ?? '').trim();
    return c.html(
      subscribersPage({
        shell: shellOf(config, c.get('session')),
        overview: await subscriberOverview(deps),
        query,
        found: await findSubscribers(deps, query),
        timeZone: config.timeZone,
      }),
    );
  });

  admin.get('/comparisons', async (c) =>
    c.html(
      comparisonsPage({
        shell: shellOf(config, c.get('session')),
        comparisons: await comparisonListing(deps),
        timeZone: config.timeZone,
      }),
    ),
  );

  return admin;
}
