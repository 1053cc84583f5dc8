// Faults injected while a request is on the wire. The sender records batch k-1 and forms batch k+1 only
// once request k has left, and awaits that work when request k is answered: a fault must land in between.
// Requests are paced (DIGEST_SEND_RATE below one a second), so after answer k-1 the sender renews its
// lease at once and then waits for the pace: the fault is injected in that wait, request k is held at the
// test server while the fault takes effect, and then answered.
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ResendServer } from './resend-server.js';

/** Two seconds between requests: the window in which the fault is injected. */
export const PACED_RATE = '0.5';

export interface InFlightFault {
  /** Request k (counted from 1): the one on the wire when the fault takes effect. */
  readonly request: number;
  /** Injects the fault, after answer k-1 and before request k leaves. */
  inject(): Promise<void> | void;
  /** Runs while request k is held (received, not answered); request k is answered when it resolves. */
  whileHeld(): Promise<void>;
}

/** Arms `fault` on `server`; resolves once request k has been let through. */
export function faultInFlight(server: ResendServer, fault: InFlightFault): Promise<void> {
  let answered = 0;
  let received = 0;
  let injected = false;
  return new Promise((resolve, reject) => {
    server.onRequest((phase) => {
      if (phase === 'answered' && ++answered === fault.request - 1) {
        // The lease was renewed as soon as the answer came in; the request leaves 2 s after the last one.
        setTimeout(() => {
          Promise.resolve(fault.inject()).then(() => {
            injected = true;
          }, reject);
        }, 700);
      }
      if (phase === 'received' && ++received === fault.request) {
        server.onRequest(undefined);
        if (!injected) {
          reject(new Error(`request ${fault.request} left before the fault was injected`));
          return;
        }
        const release = server.hold(); // before the server looks at its gate, in this same call
        fault.whileHeld().then(
          () => {
            release();
            resolve();
          },
          (error: unknown) => {
            release();
            reject(error);
          },
        );
      }
    });
  });
}

/** What a process wrote to stderr besides its JSON log lines. */
export function plainLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });
}

/** One sentence on stderr, no stack trace and no source: `sentence` is part of it. */
export function expectOneSentence(stderr: string, sentence: string): void {
  const lines = plainLines(stderr);
  expect(lines, stderr.slice(0, 2000)).toHaveLength(1);
  expect(lines[0]).toContain(sentence);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(lines[0]?.length).toBeLessThan(300);
}

/** Polls `condition` every 50 ms for up to `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** Every reader got the week exactly once. */
export function expectEachOnce(server: ResendServer, week: string, readers: number): void {
  expect(server.duplicates()).toEqual([]);
  const counts = server.countsByRecipient(week);
  expect(counts.size).toBe(readers);
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
}

/** The JSON log lines in `log`. */
export function events(log: string): { event: string; [field: string]: unknown }[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}
