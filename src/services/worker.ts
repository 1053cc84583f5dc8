// The long-lived worker: on start and at every scheduled tick it looks at the most recent completed week
// and sends it, resumes it, records it as missed, or waits (docs/schedule.md). A check every minute sends a
// week the moment an editor approves it (DIGEST_REVIEW=required, docs/editorial.md) and mails reviewers
// their copies when due. Ticks never overlap within a process; across processes the send lease keeps a
// week single-flight. What one tick does is in ./worker-tick.ts; this module paces the ticks.

import { newHolderId } from '../adapters/lease.js';
import type { Logger } from '../adapters/logger.js';
import type { Config } from '../config.js';
import type { TickDecision } from '../domain/schedule.js';
import { isUnfinished } from '../domain/send-run.js';
import type { SendDeps, SendReport } from './send-edition.js';
import { runTick, type TickContext } from './worker-tick.js';

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

// A send left unfinished (isUnfinished) must not wait a week for the next scheduled tick: a provider outage
// usually clears within minutes, and another process's lease lapses within a minute if that process died.
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

  const context: TickContext = { deps, holder, signal: controller.signal };

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
      running = runTick(context, trigger);
      try {
        const result = await running;
        if (result.decision !== 'busy' && result.report && isUnfinished(result.report.outcome)) {
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
