// A reader's own links from every email: unsubscribe (a button, then the answer), subscribe again, and the
// preferences page, each saying plainly what this address gets.
import type { SubscriberStatus } from '../../../db/schema.js';
import { page } from '../pages.js';
import { CategoryChoices } from './category-choices.js';

export function unsubscribeConfirmPage(action: string) {
  return page(
    'Unsubscribe',
    <>
      <h1>Unsubscribe from Weekly AI Tool Verdicts?</h1>
      <p>You will get no more weekly digests at this address.</p>
      <form method="post" action={action}>
        <button type="submit">Unsubscribe</button>
      </form>
    </>,
  );
}

function ResubscribeForm({ action }: { action: string }) {
  return (
    <form method="post" action={action}>
      <button type="submit">Subscribe again</button>
    </form>
  );
}

export function unsubscribedPage(resubscribeAction: string) {
  return page(
    'Unsubscribed',
    <>
      <h1>You're unsubscribed</h1>
      <p className="notice">You will not get Weekly AI Tool Verdicts any more. Sorry to see you go.</p>
      <p>Changed your mind? We will email you a link to confirm first.</p>
      <ResubscribeForm action={resubscribeAction} />
    </>,
  );
}

/** Why a reader who is not subscribed gets nothing, in their terms. */
const NOT_RECEIVING: Record<'unsubscribed' | 'bounced' | 'complained', string> = {
  unsubscribed: 'You unsubscribed: this address gets no digests.',
  bounced: 'Mail to this address bounced, so we stopped sending the digest to it.',
  complained: 'A digest to this address was reported as spam, so we stopped sending to it.',
};

function NotReceiving({
  status,
  resubscribeAction,
}: {
  status: SubscriberStatus;
  resubscribeAction: string;
}) {
  if (status !== 'unsubscribed' && status !== 'bounced' && status !== 'complained') return null;
  return (
    <>
      <p className="notice" role="status">
        {NOT_RECEIVING[status]}
      </p>
      {status === 'unsubscribed' && (
        <>
          <p>Changed your mind? We will email you a link to confirm first.</p>
          <ResubscribeForm action={resubscribeAction} />
        </>
      )}
    </>
  );
}

/** The unsubscribe link of someone who no longer receives the digest: say so instead of asking again. */
export function notSubscribedPage(status: SubscriberStatus, resubscribeAction: string) {
  return page(
    'Not subscribed',
    <>
      <h1>{status === 'unsubscribed' ? "You're unsubscribed" : 'No digests to this address'}</h1>
      <NotReceiving status={status} resubscribeAction={resubscribeAction} />
    </>,
  );
}

export function alreadySubscribedPage() {
  return page(
    'Subscribed',
    <>
      <h1>You're subscribed</h1>
      <p className="notice">This address already gets Weekly AI Tool Verdicts.</p>
    </>,
  );
}

export function preferencesPage(input: {
  action: string;
  unsubscribeUrl: string;
  categories: readonly string[];
  selected: readonly string[];
  saved: boolean;
  status: SubscriberStatus;
  resubscribeAction: string;
}) {
  const receiving = input.status === 'active' || input.status === 'pending';
  const choice = input.selected.length
    ? `You follow: ${input.selected.join(', ')}.`
    : 'You get every category.';
  return page(
    'Your preferences',
    <>
      <h1>Your preferences</h1>
      <NotReceiving status={input.status} resubscribeAction={input.resubscribeAction} />
      {input.saved && (
        <p className="notice" role="status">
          {receiving ? `Saved. ${choice}` : `Saved. ${choice} This applies if you subscribe again.`}
        </p>
      )}
      <form method="post" action={input.action}>
        <CategoryChoices categories={input.categories} selected={input.selected} />
        {input.categories.length === 0 && <p className="muted">No categories yet: you get everything.</p>}
        <button type="submit">Save</button>
      </form>
      {receiving && (
        <p>
          <a href={input.unsubscribeUrl}>Unsubscribe</a>
        </p>
      )}
    </>,
  );
}
