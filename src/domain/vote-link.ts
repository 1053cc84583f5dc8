// A reader's vote link: `/vote/<token>/<comparison>/<tool>/<choice>/<signature>`, where <tool> is 0 or 1
// (the tool's place in the comparison as the edition froze it). The reader's subscriber token (128 random
// bits, the one their unsubscribe link carries) says who votes; the signature, an HMAC under DIGEST_SECRET
// over the edition, comparison, tool and choice, says the rest came from a digest this newsletter rendered,
// unaltered. The edition is not in the link: a comparison goes out in one edition only, so the comparison
// names it. The signature names no reader, so a variant's links are signed once when it is rendered and
// each reader's copy only gets their token in place of a placeholder. Every byte counts four times a card
// against the size budget, hence the short form (docs/votes.md).
import { createHmac } from 'node:crypto';
import type { VoteChoice } from '../../db/schema.js';
import { sameKey } from './keys.js';

export const VOTE_CHOICES: readonly VoteChoice[] = ['ship', 'skip'];

export type ToolIndex = 0 | 1;

/** What a vote link says, apart from who votes. */
export interface VoteSubject {
  /** The edition's week key, e.g. 2026-W47. */
  readonly week: string;
  /** The comparison's slug. */
  readonly comparison: string;
  /** The tool's place in the comparison: 0 or 1. */
  readonly tool: ToolIndex;
  readonly choice: VoteChoice;
}

/** Where test, review and preview copies point their vote links: a page that records nothing. */
export const COPY_VOTE_PATH = '/vote/copy';

// 72 bits: a forger gets one guess per request, against a key they never see.
const SIGNATURE_CHARS = 12;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const SIGNATURE = /^[A-Za-z0-9_-]+$/;

export function voteSignature(secret: string, subject: VoteSubject): string {
  return createHmac('sha256', secret)
    .update(['vote', subject.week, subject.comparison, subject.tool, subject.choice].join('\u0000'))
    .digest('base64url')
    .slice(0, SIGNATURE_CHARS);
}

/** The link's path after the reader's token: the same for every reader of an edition. */
export function signedVotePath(secret: string, subject: VoteSubject): string {
  return `${subject.comparison}/${subject.tool}/${subject.choice}/${voteSignature(secret, subject)}`;
}

/** A reader's vote link, for the token as it stands in a URL (base64url needs no escaping). */
export function voteUrl(publicUrl: string, token: string, secret: string, subject: VoteSubject): string {
  return `${publicUrl}/vote/${token}/${signedVotePath(secret, subject)}`;
}

/** A variant's vote link for one tool of one comparison and one choice (the edition is the variant's). */
export type VoteLinker = (comparison: string, tool: ToolIndex, choice: VoteChoice) => string;

export const otherChoice = (choice: VoteChoice): VoteChoice => (choice === 'ship' ? 'skip' : 'ship');

export const choiceLabel = (choice: VoteChoice) => (choice === 'ship' ? 'Ship' : 'Skip');

/** The parts of a vote link or of the vote page's form, as received. */
export interface PresentedVote {
  readonly token: string;
  readonly comparison: string;
  readonly tool: string;
  readonly choice: string;
  readonly signature: string;
}

/** A presented vote whose parts are well formed; its signature is still to be checked against its edition. */
export interface ParsedVote {
  readonly token: string;
  readonly comparison: string;
  readonly tool: ToolIndex;
  readonly choice: VoteChoice;
  readonly signature: string;
}

export function parseVote(presented: PresentedVote): ParsedVote | undefined {
  const { token, comparison, tool, choice, signature } = presented;
  if (!TOKEN.test(token) || !SLUG.test(comparison) || !SIGNATURE.test(signature)) return undefined;
  if (tool !== '0' && tool !== '1') return undefined;
  if (choice !== 'ship' && choice !== 'skip') return undefined;
  return { token, comparison, tool: tool === '0' ? 0 : 1, choice, signature };
}

/** True when the signature is this newsletter's for that vote in edition `week`. */
export function signedByUs(secret: string, week: string, vote: ParsedVote): boolean {
  const subject: VoteSubject = { week, comparison: vote.comparison, tool: vote.tool, choice: vote.choice };
  return sameKey(vote.signature, voteSignature(secret, subject));
}
