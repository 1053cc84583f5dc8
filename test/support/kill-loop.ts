// Runs `digest send` as a real child process again and again, killing it with SIGKILL at chosen moments,
// until it finishes: the harness of the crash test and of `npm run soak`.
import { spawnDigest } from './child.js';
import type { ResendServer } from './resend-server.js';

export interface KillLoopOptions {
  readonly server: ResendServer;
  readonly env: Record<string, string>;
  readonly week: string;
  readonly kills: number;
  readonly random: () => number;
  /** Kill between 0 and this many batches (of 100 accepted emails) into a run. */
  readonly maxBatchesBeforeKill?: number;
}

export interface KillLoopResult {
  readonly finished: boolean;
  readonly kills: number;
  /** Kills at start-up or between batches, in the middle of a call, just after an answer. */
  readonly killsByMoment: readonly [number, number, number];
  readonly runs: number;
}

/** A small seeded generator (LCG), so a run's kill pattern can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export async function killRepeatedly(options: KillLoopOptions): Promise<KillLoopResult> {
  const { server, env, week, random } = options;
  const args = ['send', '--week', week];
  const killsByMoment: [number, number, number] = [0, 0, 0];
  let kills = 0;
  let runs = 0;
  for (; runs < options.kills * 4; runs++) {
    const child = spawnDigest(args, env);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const moment = (runs % 3) as 0 | 1 | 2;
    const armed = kills < options.kills;
    const kill = () => {
      if (armed && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
        kills++;
        killsByMoment[moment]++;
      }
    };
    if (armed && moment === 0) setTimeout(kill, 300 + random() * 700);
    if (armed && moment > 0) {
      const target =
        server.stats().accepted + Math.floor(random() * (options.maxBatchesBeforeKill ?? 3)) * 100;
      server.onRequest((phase) => {
        const wanted = moment === 1 ? 'received' : 'answered';
        if (phase === wanted && server.stats().accepted >= target) kill();
      });
    }
    const code = await exited;
    server.onRequest(undefined);
    if (code === 0 && output.includes(`${week} sent.`))
      return { finished: true, kills, killsByMoment, runs: runs + 1 };
  }
  return { finished: false, kills, killsByMoment, runs };
}
