// The one entry point: `npm run digest -- <command>`, or the built `digest`. It is also the body of the
// worker thread that renders for `digest send` (src/cli/render-thread.ts), which loads only the renderer.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const [{ runCli }, { readEnvironment }, { systemClock }] = await Promise.all([
    import('./cli/program.js'),
    import('./config.js'),
    import('./domain/clock.js'),
  ]);
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
