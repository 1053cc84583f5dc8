// Readers answer the verdict: what a vote link shows, recording a vote, and the tallies (docs/votes.md).
// Opening a link only reads; recording is a separate step the vote page's form asks for, because mail
// scanners fetch every link of a message and a vote is a person's act.
import type { SubscriberRow, VoteChoice } from '../../db/schema.js';
import type { Db } from '../adapters/database.js';
import { findEdition } from '../adapters/edition-repository.js';
import { findSubscriberByToken } from '../adapters/subscriber-repository.js';
import {
  countVotes,
  editionReachedReader,
  findVote,
  findVoteTarget,
  loadCarriedComparisons,
  previousSentEdition,
  recordVote,
  type StoredVote,
} from '../adapters/vote-repository.js';
import type { Config } from '../config.js';
import type { Clock } from '../domain/clock.js';
import { countedSlugs, type ReadersVsPanel, readersVsPanel } from '../domain/readers-vs-panel.js';
import { type PresentedVote, parseVote, signedByUs, type VoteSubject } from '../domain/vote-link.js';
import { type ComparisonTally, tallyVotes } from '../domain/vote-tally.js';
import { UnknownEditionError } from './engagement.js';

export interface VoteDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<Config, 'secret'>;
}

/** A vote link that holds: who votes, on what, and what they said before. */
export interface OpenVote {
  readonly status: 'ok';
  readonly subscriber: SubscriberRow;
  readonly token: string;
  readonly subject: VoteSubject;
  readonly editionId: number;
  readonly comparisonId: number;
  readonly comparisonTitle: string;
  /** The comparison's page on the site, as the edition froze it. */
  readonly comparisonUrl: string;
  readonly toolSlug: string;
  readonly toolName: string;
  /** Their vote on this tool before this visit, if any. */
  readonly previous: StoredVote | undefined;
}

/**
 * Why a link records nothing: `forged` (malformed, or a signature this newsletter did not make), `unknown
 * reader` (no subscriber has the token: mistyped, or erased), `not theirs` (the edition never went to
 * that reader).
 */
export type VoteRefusal = { readonly status: 'forged' | 'unknown reader' | 'not theirs' };

export async function openVote(deps: VoteDeps, presented: PresentedVote): Promise<OpenVote | VoteRefusal> {
  const vote = parseVote(presented);
  if (!vote) return { status: 'forged' };
  const target = await findVoteTarget(deps.db, vote.comparison);
  // A comparison no edition carried has no link of ours: as forged as a bad signature.
  if (!target || !signedByUs(deps.config.secret, target.week, vote)) return { status: 'forged' };
  const subscriber = await findSubscriberByToken(deps.db, vote.token);
  if (!subscriber) return { status: 'unknown reader' };
  if (!(await editionReachedReader(deps.db, target.editionId, subscriber.id)))
    return { status: 'not theirs' };
  const tool = target.comparison.tools[vote.tool];
  const subject: VoteSubject = {
    week: target.week,
    comparison: vote.comparison,
    tool: vote.tool,
    choice: vote.choice,
  };
  return {
    status: 'ok',
    subscriber,
    token: vote.token,
    subject,
    editionId: target.editionId,
    comparisonId: target.comparisonId,
    comparisonTitle: target.comparison.title,
    comparisonUrl: target.comparison.url,
    toolSlug: tool.slug,
    toolName: tool.name,
    previous: await findVote(deps.db, subscriber.id, target.comparisonId, tool.slug),
  };
}

/** Records the vote the link (or the vote page's form) describes; a second vote replaces the first. */
export async function castVote(
  deps: VoteDeps,
  presented: PresentedVote,
): Promise<(OpenVote & { readonly recorded: VoteChoice }) | VoteRefusal> {
  const open = await openVote(deps, presented);
  if (open.status !== 'ok') return open;
  await recordVote(deps.db, {
    subscriberId: open.subscriber.id,
    comparisonId: open.comparisonId,
    toolSlug: open.toolSlug,
    editionId: open.editionId,
    choice: open.subject.choice,
    at: deps.clock.now(),
  });
  return { ...open, recorded: open.subject.choice };
}

/** Every comparison with votes, newest first; with `week`, those that edition carried. */
export async function voteTallies(
  deps: Pick<VoteDeps, 'db'>,
  options: { readonly week?: string | undefined } = {},
): Promise<ComparisonTally[]> {
  let editionId: number | undefined;
  if (options.week !== undefined) {
    const edition = await findEdition(deps.db, options.week);
    if (!edition)
      throw new UnknownEditionError(
        `There is no edition for ${options.week}; \`digest editions\` lists them.`,
      );
    editionId = edition.id;
  }
  return tallyVotes(await countVotes(deps.db, editionId));
}

/**
 * "Readers vs panel" for week `weekKey`'s edition planned at `asOf`: the edition sent before it, with the
 * votes cast by then. Undefined when there is no such edition or none of its comparisons has votes enough.
 * Its freeze and its web version (rendered later) both ask with the edition's planning time, so they agree
 * except for votes changed or erased since.
 */
export async function readersVsPanelFor(
  deps: Pick<VoteDeps, 'db'>,
  weekKey: string,
  asOf: Date,
): Promise<ReadersVsPanel | undefined> {
  const previous = await previousSentEdition(deps.db, weekKey, asOf);
  if (!previous) return undefined;
  const tallies = tallyVotes(await countVotes(deps.db, previous.id, asOf));
  const comparisons = await loadCarriedComparisons(deps.db, previous.id, countedSlugs(tallies));
  return readersVsPanel(previous.week, comparisons, tallies);
}
