// The one entry point: `npm run digest -- <command>`.
import { runCli } from './cli/program.js';
import { readEnvironment } from './config.js';
import { systemClock } from './domain/clock.js';

// SIGINT/SIGTERM ask long-running commands (send, serve, worker) to stop taking new work and finish what
// is in flight; a second signal exits at once (the ledger makes even that safe to resume).
const shutdown = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shutdown.signal.aborted) process.exit(130);
    shutdown.abort();
  });
}

const code = await runCli(process.argv.slice(2), {
  env: readEnvironment(),
  clock: systemClock,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: shutdown.signal,
});
process.exitCode = code;
// Open handles (a keep-alive socket, a cron timer) must not keep a finished command alive.
process.exit(code);
