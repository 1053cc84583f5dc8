// The long-lived worker: on start and at every scheduled tick it looks at the most recent completed week
// and sends it, resumes it, records it as missed, or waits (docs/schedule.md). A check every minute sends a
// week the moment an editor approves it (DIGEST_REVIEW=required, docs/editorial.md) and mails reviewers
// their copies when due. Ticks never overlap within a process; across processes the send lease keeps a
// week single-flight.

import { findEdition, insertEdition, latestEditionBefore } from '../adapters/edition-repository.js';
import { acquireLease, newHolderId, releaseLease } from '../adapters/lease.js';
import type { Logger } from '../adapters/logger.js';
import type { Config } from '../config.js';
import { reviewAllows } from '../domain/draft.js';
import { decideTick, passedOver, type TickDecision, weekToSend } from '../domain/schedule.js';
import { requireWeek, weekWindow } from '../domain/weeks.js';
import { planEdition } from './plan-edition.js';
import { remindReviewers } from './review-copies.js';
import { type SendDeps, type SendReport, sendEdition } from './send-edition.js';

export interface WorkerDeps extends Omit<SendDeps, 'config' | 'signal' | 'log'> {
  readonly config: SendDeps['config'] &
    Pick<Config, 'schedule' | 'catchUpHours' | 'reviewers' | 'reviewLeadHours' | 'postalAddress'>;
  readonly log: Logger;
  /** How soon to look again after a send that could not finish (locked, halted, interrupted). */
  readonly retryAfterMs?: number;
}

/**
 * `minute` is the once-a-minute check: it sends a week that became sendable (approved, or due) and mails
 * reviewers, but leaves an interrupted send to the retry timer, which paces a provider outage.
 */
export type TickTrigger = 'start' | 'schedule' | 'retry' | 'minute';

// A send left unfinished must not wait a week for the next scheduled tick: a provider outage usually clears
// within minutes, and another process's lease lapses within a minute if that process died.
const UNFINISHED = new Set(['locked', 'halted', 'interrupted']);
const DEFAULT_RETRY_MS = 5 * 60_000;
// Looked again this long after another holder's lease would lapse: if that holder died (on any machine),
// this worker takes the send over about a minute after its last renewal; if it lives, it has renewed.
const AFTER_EXPIRY_MS = 2_000;

/** When to look again after `report`: just after a holding process's lease lapses, else the retry delay. */
export function retryDelayAfter(report: SendReport, now: Date, retryAfterMs = DEFAULT_RETRY_MS): number {
  if (report.outcome !== 'locked' || !report.lockedBy) return retryAfterMs;
  const untilExpiry = Math.max(0, report.lockedBy.expiresAt.getTime() - now.getTime());
  return Math.min(retryAfterMs, untilExpiry + AFTER_EXPIRY_MS);
}

export type TickResult =
  | { readonly decision: TickDecision; readonly report?: SendReport }
  | { readonly decision: 'busy' };

export interface Worker {
  /** Runs one tick now: what the schedule does at each match and the worker does once on start. */
  tick(trigger: TickTrigger): Promise<TickResult>;
  /** Stops taking new work; resolves when the tick in flight (if any) has finished its batch. */
  stop(): Promise<void>;
}

export function createWorker(deps: WorkerDeps): Worker {
  const controller = new AbortController();
  const holder = deps.holder ?? newHolderId();
  let running: Promise<TickResult> | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function recordMissed(weekKey: string, why: string): Promise<void> {
    const lockName = `send:${weekKey}`;
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
  async function recordPassedOver(weekKey: string): Promise<void> {
    const latest = await latestEditionBefore(deps.db, weekKey);
    if (!latest) return;
    const { schedule, timeZone } = deps.config;
    for (const week of passedOver({ lastRecorded: latest.week_key, weekKey, schedule, timeZone })) {
      deps.log.info('tick', { action: 'miss', week: week.weekKey, why: week.why });
      await recordMissed(week.weekKey, week.why);
    }
  }

  /** Whether review lets `weekKey` go out now; only an unfrozen week under DIGEST_REVIEW=required asks. */
  async function reviewLetsThrough(weekKey: string, frozen: boolean): Promise<boolean> {
    if (frozen || deps.config.review === 'auto') return true;
    const plan = await planEdition(deps, weekKey);
    return reviewAllows(deps.config.review, plan.approval, plan.items.length);
  }

  async function runTick(trigger: TickTrigger): Promise<TickResult> {
    // A reviewer copy that cannot go out must not keep the edition from going out.
    await remindReviewers(deps).catch((error: unknown) =>
      deps.log.error('review.failed', { error: String(error) }),
    );
    const now = deps.clock.now();
    const weekKey = weekToSend(now, deps.config.timeZone);
    await recordPassedOver(weekKey);
    const edition = await findEdition(deps.db, weekKey);
    let decision = decideTick({
      ...deps.config,
      now,
      weekKey,
      editionStatus: edition?.status,
      reviewAllows: await reviewLetsThrough(weekKey, edition !== undefined),
    });
    if (trigger === 'minute' && decision.action === 'send' && edition?.status === 'sending') {
      decision = { action: 'wait', weekKey, why: `${weekKey} is resumed by the retry timer or the schedule` };
    }
    // The minute check logs only what it does, not each of the 10,080 minutes a week it waits.
    if (trigger !== 'minute' || decision.action !== 'wait') {
      deps.log.info('tick', { trigger, action: decision.action, week: decision.weekKey, why: decision.why });
    }
    if (decision.action === 'miss') {
      await recordMissed(decision.weekKey, decision.why);
      return { decision };
    }
    if (decision.action === 'wait') return { decision };
    const report = await sendEdition({ ...deps, holder, signal: controller.signal }, decision.weekKey);
    deps.log.info('send.report', {
      week: report.weekKey,
      outcome: report.outcome,
      message: report.message,
      ...(report.counts
        ? { total: report.counts.total, byStatus: report.counts.byStatus, byReason: report.counts.byReason }
        : {}),
    });
    return { decision, report };
  }

  return {
    async tick(trigger) {
      if (controller.signal.aborted) return { decision: 'busy' };
      if (running) {
        if (trigger !== 'minute') {
          deps.log.info('tick.skipped', { trigger, why: 'the previous tick is still running' });
        }
        return { decision: 'busy' };
      }
      const lookAgain = (delay: number, fields: Record<string, unknown>) => {
        if (controller.signal.aborted) return;
        clearTimeout(retry);
        deps.log.info('tick.retry', { ...fields, inMs: delay });
        retry = setTimeout(() => {
          this.tick('retry').catch((error: unknown) =>
            deps.log.error('tick.failed', { error: String(error) }),
          );
        }, delay);
        retry.unref();
      };
      running = runTick(trigger);
      try {
        const result = await running;
        if (result.decision !== 'busy' && result.report && UNFINISHED.has(result.report.outcome)) {
          lookAgain(retryDelayAfter(result.report, deps.clock.now(), deps.retryAfterMs), {
            week: result.report.weekKey,
            outcome: result.report.outcome,
          });
        }
        return result;
      } catch (error) {
        // A fault mid-tick (the database failing over, a lost connection) must not leave a week started
        // here to next week's tick either.
        lookAgain(deps.retryAfterMs ?? DEFAULT_RETRY_MS, { outcome: 'failed' });
        throw error;
      } finally {
        running = undefined;
      }
    },
    async stop() {
      controller.abort();
      clearTimeout(retry);
      await running?.catch(() => undefined);
    },
  };
}
