// digest worker: the weekly schedule and the web server in one long-lived process. What it runs is
// imported when the command starts, not when the command line is parsed.
import type { Command } from 'commander';
import { describeStorageFault } from '../adapters/storage-fault.js';
import type { TickTrigger } from '../services/worker.js';
import type { CliContext } from './context.js';
import { lazyDigestRenderer } from './send-commands.js';
import { untilStopped } from './serve-command.js';

export function registerWorkerCommand(program: Command, context: CliContext): void {
  program
    .command('worker')
    .description(
      'run the weekly schedule (DIGEST_SCHEDULE in DIGEST_TIMEZONE) and the web server until SIGTERM',
    )
    .option('--no-server', 'run the schedule only, without the web server')
    .action(async (options: { server: boolean }) => {
      const config = context.getConfig();
      const db = await context.getDb();
      const [
        { default: cron },
        { createTransport },
        { createLogger },
        { startServer },
        { personalisedPieces },
        { createWorker },
      ] = await Promise.all([
        import('node-cron'),
        import('../adapters/create-transport.js'),
        import('../adapters/logger.js'),
        import('../web/server.js'),
        import('../services/personalise.js'),
        import('../services/worker.js'),
      ]);
      const log = createLogger(context.io.stderr);
      const transport = createTransport(config, context.clock);
      const worker = createWorker({
        db,
        clock: context.clock,
        config,
        transport,
        renderer: lazyDigestRenderer(config),
        personalise: personalisedPieces,
        log,
      });
      const server = options.server
        ? await startServer({ db, clock: context.clock, config, transport, log }, config.port)
        : undefined;
      log.info('worker.start', {
        schedule: config.schedule,
        timeZone: config.timeZone,
        catchUpHours: config.catchUpHours,
        transport: transport.kind,
        web: server?.url ?? 'off',
      });
      // A fault mid-send (a full disk, a lost database connection) is one log line; the worker retries the
      // week after its delay, and the web server stays up meanwhile.
      const tick = (trigger: TickTrigger) =>
        worker.tick(trigger).catch((error: unknown) => {
          const fault = describeStorageFault(error);
          log.error('tick.failed', { trigger, error: String(error), ...(fault ? { fault } : {}) });
        });
      const task = cron.schedule(config.schedule, () => tick('schedule'), {
        timezone: config.timeZone,
        name: 'weekly-digest',
        noOverlap: true,
      });
      // Once a minute: an approved week goes out within a minute of its approval, a week that review held
      // too long is recorded as missed, and reviewers get their copies on time (docs/editorial.md).
      const minute = cron.schedule('* * * * *', () => tick('minute'), {
        timezone: config.timeZone,
        name: 'minute-check',
        noOverlap: true,
      });
      log.info('schedule', { next: task.getNextRun()?.toISOString() ?? null, review: config.review });
      const stopped = untilStopped(context);
      // Catch up on start: a week that became due while no worker ran goes out now (or is marked missed).
      void tick('start');
      await stopped;
      log.info('worker.stopping', { why: 'signal' });
      for (const scheduled of [task, minute]) {
        await scheduled.stop();
        await scheduled.destroy();
      }
      await worker.stop();
      await server?.close();
      log.info('worker.stopped');
    });
}
