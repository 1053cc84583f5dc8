// The one entry point: `npm run digest -- <command>`, or the built `digest`. It is also the body of the
// worker thread that renders for `digest send` (src/cli/render-thread.ts), which loads only the renderer.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const [{ runCli }, { readEnvironment }, { systemClock }] = await Promise.all([
    import('./cli/program.js'),
    import('./config.js'),
    import('./domain/clock.js'),
  ]);
  // SIGINT/SIGTERM ask the commands that stop gracefully (send, serve, worker) to stop taking new work and
  // finish what is in flight; a second signal exits at once (the ledger makes even that safe to resume).
  // Any other command exits at once (128 + the signal's number): what it writes is in transactions, which
  // the database rolls back when the process ends mid-way, and a command that never checks the signal must
  // not be deaf to it. For the graceful three, the signal also ends a wait for another process's lock
  // (sqlite-driver.ts), so none of them sits out someone else's write lock before stopping.
  const argv = process.argv.slice(2);
  const graceful = ['send', 'serve', 'worker'].includes(argv.find((arg) => !arg.startsWith('-')) ?? '');
  const shutdown = new AbortController();
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
  ] as const) {
    process.on(signal, () => {
      if (graceful && !shutdown.signal.aborted) return shutdown.abort();
      shutdown.abort();
      process.stderr.write(`Stopped by ${signal}.\n`);
      process.exit(128 + number);
    });
  }
  const code = await runCli(argv, {
    env: readEnvironment(),
    clock: systemClock,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: shutdown.signal,
    // The built command renders in a worker thread; run from its TypeScript sources (tsx), it renders in
    // this thread, since tsx's loader does not reach worker threads on Node 20.
    renderThreadEntry: import.meta.url.endsWith('.js') ? new URL(import.meta.url) : undefined,
  });
  process.exitCode = code;
  // Open handles (a keep-alive socket, a cron timer) must not keep a finished command alive.
  process.exit(code);
} else {
  const { serveRenders } = await import('./cli/render-thread.js');
  await serveRenders();
}
