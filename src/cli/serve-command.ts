// digest serve: the web pages alone (the worker runs them too). Hono, the pages and the transports are
// imported when the command runs, not when the command line is parsed.
import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** Resolves when the command's abort signal fires (SIGINT/SIGTERM). */
export function untilStopped(context: CliContext): Promise<void> {
  return new Promise((resolve) => {
    if (!context.signal || context.signal.aborted) return resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description(
      'serve the sign-up, confirmation, unsubscribe, preferences, webhook and archive pages on PORT',
    )
    .action(async () => {
      const config = context.getConfig();
      const db = await context.getDb();
      const [{ createTransport }, { createLogger }, { startServer }] = await Promise.all([
        import('../adapters/create-transport.js'),
        import('../adapters/logger.js'),
        import('../web/server.js'),
      ]);
      const log = createLogger(context.io.stderr);
      const server = await startServer(
        { db, clock: context.clock, config, transport: createTransport(config, context.clock), log },
        config.port,
      );
      log.info('serve.start', { url: server.url, publicUrl: config.publicUrl });
      await untilStopped(context);
      await server.close();
      log.info('serve.stopped');
    });
}
