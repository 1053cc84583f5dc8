// The console's reports: past editions with their figures and clicks per comparison,
// subscribers with their consent records, counts and weekly growth, and comparisons with their editions.
import type { EditionStatus, SubscriberRow } from '../../../db/schema.js';
import { describeEditionOf } from '../../domain/edition-of.js';
import { type EditionStats, formatRate } from '../../domain/edition-stats.js';
import { count } from '../../domain/plural.js';
import type { GrowthWeek } from '../../domain/subscriber-growth.js';
import type { ListedComparison } from '../../services/comparison-listing.js';
import type { SubscriberOverview } from '../../services/subscriber-overview.js';
import { consolePage, type Shell, shortInstant } from './shell.js';

export interface EditionEntry {
  readonly weekKey: string;
  readonly label: string;
  readonly status: EditionStatus;
  readonly subject: string | null;
  readonly reason: string | null;
  readonly approvedBy: string | null;
  readonly finishedAt: string | null;
  readonly stats: EditionStats;
}

function Figures({ stats }: { stats: EditionStats }) {
  const rows: [string, number | string, number | null | undefined][] = [
    ['Eligible', stats.eligible, undefined],
    ['Sent', stats.sent, undefined],
    ['Failed', stats.failed, undefined],
    ['Delivered (of sent)', stats.delivered, stats.rates.delivered],
    ['Delayed', stats.delayed, undefined],
    [
      'Bounced, permanent / transient (of sent)',
      `${stats.bounced.permanent} / ${stats.bounced.transient}`,
      stats.rates.bounced,
    ],
    ['Complained', stats.complained, stats.rates.complained],
    ['Suppressed by Resend', stats.suppressed, undefined],
    ['Unsubscribed through it', stats.unsubscribed, stats.rates.unsubscribed],
    ['Opened (approximate)', stats.opened, stats.rates.opened],
    ['Clicked (people)', stats.clicked, stats.rates.clicked],
    ['Human clicks', stats.clicks, undefined],
    ['Machine clicks (scanners)', stats.machineClicks, undefined],
  ];
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col" className="n">
            Count
          </th>
          <th scope="col" className="n">
            Rate
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, value, rate]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="n">{value}</td>
            <td className="n">{rate === undefined ? '' : formatRate(rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function editionsPage(input: {
  readonly shell: Shell;
  readonly editions: readonly EditionEntry[];
  readonly timeZone: string;
}) {
  const { timeZone } = input;
  return consolePage(
    'Past editions',
    'editions',
    input.shell,
    <>
      <h1>Past editions</h1>
      <p className="hint">
        Readers unless a figure says clicks. Rates: delivered and bounced over sent, the others over
        delivered. Opens are approximate: Apple Mail Privacy Protection opens every message.
      </p>
      {input.editions.length === 0 && <p>No edition has been planned yet.</p>}
      {input.editions.map((edition) => (
        <section className="card" key={edition.weekKey} aria-labelledby={`e-${edition.weekKey}`}>
          <h2 id={`e-${edition.weekKey}`}>
            {edition.label} <span className="muted">{edition.weekKey}</span>{' '}
            <span className={edition.status === 'sent' ? 'state ok' : 'state warn'}>{edition.status}</span>
          </h2>
          <p>
            {edition.subject ?? edition.reason}
            {edition.status === 'sent' && (
              <>
                {' · '}
                <a href={`/editions/${edition.weekKey}`}>Web version</a>
              </>
            )}
          </p>
          <p className="muted">
            {edition.approvedBy ? `Approved by ${edition.approvedBy}` : 'Not approved'}
            {edition.finishedAt ? ` · finished ${shortInstant(edition.finishedAt, timeZone)}` : ''}
          </p>
          {edition.stats.eligible > 0 && <Figures stats={edition.stats} />}
          {edition.stats.comparisons.length > 0 && (
            <table>
              <caption className="muted">Clicks per comparison (people only)</caption>
              <thead>
                <tr>
                  <th scope="col">Comparison</th>
                  <th scope="col" className="n">
                    Clicks
                  </th>
                  <th scope="col" className="n">
                    Clickers
                  </th>
                </tr>
              </thead>
              <tbody>
                {edition.stats.comparisons.map((comparison) => (
                  <tr key={comparison.slug}>
                    <td>{comparison.title}</td>
                    <td className="n">{comparison.clicks}</td>
                    <td className="n">{comparison.clickers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>,
  );
}

const SOURCES: Record<string, string> = {
  form: 'the sign-up form',
  cli: 'the command line',
  csv: 'a CSV import',
};

function SubscriberRecord({ row, timeZone }: { row: SubscriberRow; timeZone: string }) {
  const categories = JSON.parse(row.categories) as string[];
  return (
    <article className="subscriber">
      <h3>{row.email}</h3>
      <dl className="record">
        <dt>Status</dt>
        <dd>
          {row.status}
          {row.status_reason ? ` (${row.status_reason})` : ''}, since{' '}
          {shortInstant(row.status_changed_at, timeZone)}
        </dd>
        <dt>Categories</dt>
        <dd>{categories.length > 0 ? categories.join(', ') : 'all'}</dd>
        <dt>Added</dt>
        <dd>
          {shortInstant(row.created_at, timeZone)} via {SOURCES[row.source] ?? row.source}
        </dd>
        <dt>Consent</dt>
        <dd>
          {shortInstant(row.consent_at, timeZone)}
          {row.consent_form ? `, form "${row.consent_form}"` : ''}
          {row.consent_ip ? `, from ${row.consent_ip}` : ''}
        </dd>
        {row.consent_user_agent && (
          <>
            <dt>Browser</dt>
            <dd>{row.consent_user_agent}</dd>
          </>
        )}
        <dt>Confirmed</dt>
        <dd>{shortInstant(row.confirmed_at, timeZone)}</dd>
      </dl>
    </article>
  );
}

export function subscribersPage(input: {
  readonly shell: Shell;
  readonly overview: SubscriberOverview;
  readonly query: string;
  readonly found: { readonly rows: readonly SubscriberRow[]; readonly total: number };
  readonly timeZone: string;
}) {
  const { overview, found, query } = input;
  return consolePage(
    'Subscribers',
    'subscribers',
    input.shell,
    <>
      <h1>Subscribers</h1>
      <form method="get" action="/admin/subscribers">
        <label htmlFor="q">Find by part of an address</label>
        <input id="q" type="search" name="q" defaultValue={query} placeholder="ada@ or example.com" />
        <p>
          <button type="submit">Search</button>
        </p>
      </form>
      <section className="card" aria-labelledby="found">
        <h2 id="found">
          {query
            ? `${count(found.total, 'subscriber')} matching “${query}”`
            : 'Most recently changed subscribers'}
        </h2>
        {found.total > found.rows.length && (
          <p className="hint">Showing the {found.rows.length} most recently changed; narrow the search.</p>
        )}
        {found.rows.length === 0 && <p>Nobody.</p>}
        {found.rows.map((row) => (
          <SubscriberRecord key={row.id} row={row} timeZone={input.timeZone} />
        ))}
      </section>
      <section className="card" aria-labelledby="by-status">
        <h2 id="by-status">{count(overview.total, 'subscriber')} by status</h2>
        <table>
          <tbody>
            {overview.byStatus.map((entry) => (
              <tr key={entry.status}>
                <th scope="row">{entry.status}</th>
                <td className="n">{entry.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="growth">
        <h2 id="growth">Week by week</h2>
        <GrowthTable growth={overview.growth} />
        <p className="hint">
          From each subscriber's current record: confirmed (or added as active) that week; unsubscribed,
          bounced or complained that week and still so. Erased subscribers count nowhere.
        </p>
      </section>
    </>,
  );
}

function GrowthTable({ growth }: { growth: readonly GrowthWeek[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Week</th>
          <th scope="col" className="n">
            Con{'\u00ad'}firmed
          </th>
          <th scope="col" className="n">
            Unsub{'\u00ad'}scribed
          </th>
          <th scope="col" className="n">
            Sup{'\u00ad'}pressed
          </th>
        </tr>
      </thead>
      <tbody>
        {growth.map((week, index) => (
          <tr key={week.week}>
            <th scope="row" className="week">
              {week.week}
              {index === 0 && (
                <>
                  <br />
                  <span className="muted">so far</span>
                </>
              )}
            </th>
            <td className="n">{week.confirmed}</td>
            <td className="n">{week.unsubscribed}</td>
            <td className="n">{week.suppressed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Comparisons ----------------------------------------------------------------------------------------

export function comparisonsPage(input: {
  readonly shell: Shell;
  readonly comparisons: readonly ListedComparison[];
  readonly timeZone: string;
}) {
  return consolePage(
    'Comparisons',
    'comparisons',
    input.shell,
    <>
      <h1>Comparisons</h1>
      <p className="hint">Newest first, with the edition each rode in or will ride in.</p>
      {input.comparisons.length === 0 ? (
        <p>No comparisons yet: `digest import` adds them.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Comparison</th>
              <th scope="col">Published</th>
              <th scope="col">Edition</th>
            </tr>
          </thead>
          <tbody>
            {input.comparisons.map((comparison) => (
              <tr key={comparison.slug}>
                <td>
                  {comparison.title}
                  <br />
                  <span className="muted">{comparison.slug}</span>
                </td>
                <td>
                  {shortInstant(comparison.publishedAt.toISOString(), input.timeZone)}
                  <br />
                  <span className="muted">{comparison.publishedWeek}</span>
                </td>
                <td>{describeEditionOf(comparison.edition)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  );
}
