// What one run of a week's send is called and how it may end unfinished, named once for every driver (the
// CLI's `digest send`, the worker) and for the sender itself, so they cannot drift apart.

/** The lease a send of week `weekKey` holds while it plans and sends (src/adapters/lease.ts). */
export function sendLeaseName(weekKey: string): string {
  return `send:${weekKey}`;
}

/**
 * The ways a run ends with the week still to finish: another process holds it, the provider refuses all
 * sending for now, or a signal or a lost lease stopped it. Running again resumes it.
 */
export const UNFINISHED_OUTCOMES = ['locked', 'halted', 'interrupted'] as const;

export type UnfinishedOutcome = (typeof UNFINISHED_OUTCOMES)[number];

export function isUnfinished(outcome: string): outcome is UnfinishedOutcome {
  return (UNFINISHED_OUTCOMES as readonly string[]).includes(outcome);
}
