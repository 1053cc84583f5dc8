// Work that must happen after an HTTP answer has gone out: the sign-up's database write and confirmation
// email run here, so the answer takes the same time whatever the address's state (no timing oracle).
import type { Logger } from './logger.js';

export interface BackgroundTasks {
  /** Starts `task` after the current answer is written; failures are logged, never thrown. */
  run(name: string, task: () => Promise<unknown>): void;
  /** Resolves when every started task has settled (graceful shutdown, tests). */
  drain(): Promise<void>;
}

export function createBackgroundTasks(log: Pick<Logger, 'error'>): BackgroundTasks {
  const running = new Set<Promise<unknown>>();
  return {
    run(name, task) {
      // setImmediate: the handler's response is written in the microtasks that follow it; the task starts
      // only in the next turn of the event loop, after the bytes are on their way.
      const done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((error: unknown) => log.error('task.failed', { task: name, error: String(error) }))
        .finally(() => running.delete(done));
      running.add(done);
    },
    async drain() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
