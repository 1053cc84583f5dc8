// One tick of the worker (./worker.ts): which week is due and what to do with it (send, resume, record as
// missed, or wait; docs/schedule.md), after mailing reviewers their copies when due.
import { findEdition, insertEdition, latestEditionBefore } from '../adapters/edition-repository.js';
import { acquireLease, releaseLease } from '../adapters/lease.js';
import { reviewAllows } from '../domain/draft.js';
import { decideTick, passedOver, weekToSend } from '../domain/schedule.js';
import { sendLeaseName } from '../domain/send-run.js';
import { requireWeek, weekWindow } from '../domain/weeks.js';
import { planEdition } from './plan-edition.js';
import { remindReviewers } from './review-copies.js';
import { type SendReport, sendEdition } from './send-edition.js';
import type { TickResult, TickTrigger, WorkerDeps } from './worker.js';

/** What every tick of one worker shares: its dependencies, its lease holder name, and its stop signal. */
export interface TickContext {
  readonly deps: WorkerDeps;
  readonly holder: string;
  readonly signal: AbortSignal;
}

/** Records week `weekKey` as missed, under its send lease, unless an edition for it exists by then. */
async function recordMissed({ deps, holder }: TickContext, weekKey: string, why: string): Promise<void> {
  const lockName = sendLeaseName(weekKey);
  const lease = await acquireLease(deps.db, lockName, holder, deps.clock.now());
  if (!lease.acquired) return;
  try {
    if (await findEdition(deps.db, weekKey)) return;
    await insertEdition(deps.db, {
      weekKey,
      status: 'missed',
      reason: why,
      timeZone: deps.config.timeZone,
      window: weekWindow(requireWeek(weekKey), deps.config.timeZone),
      subject: null,
      now: deps.clock.now(),
    });
  } finally {
    await releaseLease(deps.db, lockName, holder);
  }
}

/**
 * Records as missed every week between the latest recorded one and `weekKey` that has none: the worker
 * never looks back at them (a week no worker ran for, or one whose scheduled time came after the next
 * week ended), and a week must not vanish without a trace. Done before `weekKey` is planned, so that
 * their comparisons ride it.
 */
async function recordPassedOver(context: TickContext, weekKey: string): Promise<void> {
  const { deps } = context;
  const latest = await latestEditionBefore(deps.db, weekKey);
  if (!latest) return;
  const { schedule, timeZone } = deps.config;
  for (const week of passedOver({ lastRecorded: latest.week_key, weekKey, schedule, timeZone })) {
    deps.log.info('tick', { action: 'miss', week: week.weekKey, why: week.why });
    await recordMissed(context, week.weekKey, week.why);
  }
}

/** Whether review lets `weekKey` go out now; only an unfrozen week under DIGEST_REVIEW=required asks. */
async function reviewLetsThrough(deps: WorkerDeps, weekKey: string, frozen: boolean): Promise<boolean> {
  if (frozen || deps.config.review === 'auto') return true;
  const plan = await planEdition(deps, weekKey);
  return reviewAllows(deps.config.review, plan.approval, plan.items.length);
}

function logReport(deps: WorkerDeps, report: SendReport): void {
  deps.log.info('send.report', {
    week: report.weekKey,
    outcome: report.outcome,
    message: report.message,
    ...(report.counts
      ? { total: report.counts.total, byStatus: report.counts.byStatus, byReason: report.counts.byReason }
      : {}),
  });
}

/** One tick: `trigger` says who asked (see TickTrigger). */
export async function runTick(context: TickContext, trigger: TickTrigger): Promise<TickResult> {
  const { deps } = context;
  // A reviewer copy that cannot go out must not keep the edition from going out.
  await remindReviewers(deps).catch((error: unknown) =>
    deps.log.error('review.failed', { error: String(error) }),
  );
  const now = deps.clock.now();
  const weekKey = weekToSend(now, deps.config.timeZone);
  await recordPassedOver(context, weekKey);
  const edition = await findEdition(deps.db, weekKey);
  let decision = decideTick({
    ...deps.config,
    now,
    weekKey,
    editionStatus: edition?.status,
    reviewAllows: await reviewLetsThrough(deps, weekKey, edition !== undefined),
  });
  if (trigger === 'minute' && decision.action === 'send' && edition?.status === 'sending') {
    decision = { action: 'wait', weekKey, why: `${weekKey} is resumed by the retry timer or the schedule` };
  }
  // The minute check logs only what it does, not each of the 10,080 minutes a week it waits.
  if (trigger !== 'minute' || decision.action !== 'wait') {
    deps.log.info('tick', { trigger, action: decision.action, week: decision.weekKey, why: decision.why });
  }
  if (decision.action === 'miss') {
    await recordMissed(context, decision.weekKey, decision.why);
    return { decision };
  }
  if (decision.action === 'wait') return { decision };
  const report = await sendEdition(
    { ...deps, holder: context.holder, signal: context.signal },
    decision.weekKey,
  );
  logReport(deps, report);
  return { decision, report };
}
