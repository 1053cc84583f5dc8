// Why a reader gets the newsletter, said truthfully in each email's footer: a person who confirmed a link
// subscribed themselves; one an operator added (`subscribers add`, an import) did not, and a footer saying
// "you subscribed and confirmed" would be false to them.
import { NEWSLETTER_NAME } from './digest.js';

export type ConsentReason = 'confirmed' | 'added';

/** A sign-up on the site is active only once confirmed; an operator's addition only if its person confirmed a link. */
export function consentReason(source: string, confirmedByLink: boolean): ConsentReason {
  return source === 'form' || confirmedByLink ? 'confirmed' : 'added';
}

/** The footer's first sentence, without what the reader follows. */
export function reasonSentence(reason: ConsentReason, publicUrl: string): string {
  return reason === 'confirmed'
    ? `You get this email because you subscribed to ${NEWSLETTER_NAME} at ${publicUrl} and confirmed your address.`
    : `You get this email because the newsletter's team added your address to ${NEWSLETTER_NAME} (${publicUrl}).`;
}
