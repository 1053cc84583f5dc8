// The upcoming edition's items, a page at a time (?page=): a week of thousands would otherwise be thousands
// of forms in one page, megabytes for the server to build. Each item has its moves and its hold; held-back
// items their release.
import { count } from '../../domain/plural.js';
import type { DraftView } from '../../services/draft.js';
import { Action, type Shell } from './shell.js';

type Plan = Extract<DraftView, { kind: 'draft' }>['plan'];
type Item = Plan['items'][number];

/** How many items the page lists at a time; further ones are on ?page=2 and on. */
export const ITEMS_PER_PAGE = 100;
/** How many held-back items the page lists; any beyond are counted (the CLI releases them too). */
export const HELD_SHOWN = 100;

/** Which slice of `total` items page `requested` shows (a page past the end shows the last one). */
export function itemsPage(total: number, requested: number) {
  const pages = Math.max(1, Math.ceil(total / ITEMS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(requested) || 1), pages);
  const from = (page - 1) * ITEMS_PER_PAGE;
  return { page, pages, from, to: Math.min(total, from + ITEMS_PER_PAGE) };
}

export type ItemsPage = ReturnType<typeof itemsPage>;

export function Pager({ weekKey, total, at }: { weekKey: string; total: number; at: ItemsPage }) {
  if (at.pages === 1) return null;
  const href = (page: number) => `/admin?week=${weekKey}&page=${page}#items`;
  return (
    <nav aria-label="Pages of items" className="pager">
      <p>
        Items {(at.from + 1).toLocaleString('en-US')}–{at.to.toLocaleString('en-US')} of{' '}
        {total.toLocaleString('en-US')}, page {at.page} of {at.pages}.{' '}
        {at.page > 1 && <a href={href(at.page - 1)}>← Previous {ITEMS_PER_PAGE}</a>}
        {at.page > 1 && at.page < at.pages && ' · '}
        {at.page < at.pages && (
          <a href={href(at.page + 1)}>Next {Math.min(ITEMS_PER_PAGE, total - at.to)} →</a>
        )}
      </p>
    </nav>
  );
}

interface ItemFormsProps {
  readonly shell: Shell;
  /** The hidden fields every form on this page carries: the week, and the page to come back to. */
  readonly fields: Record<string, string>;
}

function ItemRow({
  item,
  index,
  last,
  shell,
  fields,
}: ItemFormsProps & { item: Item; index: number; last: boolean }) {
  const { slug, title } = item.view;
  return (
    <li>
      <span className="what">
        <strong>
          {index + 1}. {title}
        </strong>
        <br />
        <span className="muted">
          {slug} · {item.view.categories.join(', ')}
        </span>
      </span>
      <span className="actions">
        <Action
          action="/admin/draft/move"
          fields={{ ...fields, slug, direction: 'up' }}
          label="Move up"
          ariaLabel={`Move up: ${title}`}
          shell={shell}
          secondary
          small
          disabled={index === 0}
        />
        <Action
          action="/admin/draft/move"
          fields={{ ...fields, slug, direction: 'down' }}
          label="Move down"
          ariaLabel={`Move down: ${title}`}
          shell={shell}
          secondary
          small
          disabled={last}
        />
        <Action
          action="/admin/draft/hold"
          fields={{ ...fields, slug }}
          label="Hold back"
          ariaLabel={`Hold back: ${title}`}
          shell={shell}
          secondary
          small
        />
      </span>
    </li>
  );
}

function HeldItems({ plan, next, shell, fields }: ItemFormsProps & { plan: Plan; next: string }) {
  if (plan.held.length === 0) return null;
  return (
    <>
      <h3>Held back (offered again in {next})</h3>
      <ul className="items">
        {plan.held.slice(0, HELD_SHOWN).map((item) => (
          <li key={item.view.slug}>
            <span className="what">
              {item.view.title}
              <br />
              <span className="muted">{item.view.slug}</span>
            </span>
            <span className="actions">
              <Action
                action="/admin/draft/release"
                fields={{ ...fields, slug: item.view.slug }}
                label="Release"
                ariaLabel={`Release: ${item.view.title}`}
                shell={shell}
                secondary
                small
              />
            </span>
          </li>
        ))}
      </ul>
      {plan.held.length > HELD_SHOWN && (
        <p className="muted">
          And {count(plan.held.length - HELD_SHOWN, 'more item')} held back (<code>digest draft release</code>{' '}
          releases any of them).
        </p>
      )}
    </>
  );
}

/** The "Items, in order" card: this page of items with their forms, the pager, and the held-back items. */
export function ItemsCard({
  plan,
  at,
  next,
  shell,
}: {
  plan: Plan;
  at: ItemsPage;
  /** The week held-back items are offered again in. */
  next: string;
  shell: Shell;
}) {
  // Forms on a later page come back to it.
  const fields: Record<string, string> = {
    week: plan.weekKey,
    ...(at.page > 1 ? { page: String(at.page) } : {}),
  };
  return (
    <section className="card" aria-labelledby="items">
      <h2 id="items">Items, in order</h2>
      {plan.items.length === 0 && (
        <p>Nothing goes out this week as it stands: the week would be recorded as skipped.</p>
      )}
      <Pager weekKey={plan.weekKey} total={plan.items.length} at={at} />
      <ol className="items">
        {plan.items.slice(at.from, at.to).map((item, shown) => (
          <ItemRow
            key={item.view.slug}
            item={item}
            index={at.from + shown}
            last={at.from + shown === plan.items.length - 1}
            shell={shell}
            fields={fields}
          />
        ))}
      </ol>
      <Pager weekKey={plan.weekKey} total={plan.items.length} at={at} />
      <HeldItems plan={plan} next={next} shell={shell} fields={fields} />
      <p className="hint">
        Moving an item fixes the order of every item shown; comparisons published later join after them.
      </p>
    </section>
  );
}
