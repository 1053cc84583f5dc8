// Builds the `digest` command line. runCli is what src/cli.ts and the in-process tests call.
import { Command, CommanderError } from 'commander';
import { DatabaseOpenError } from '../adapters/database.js';
import { DatabaseBusyError, describeStorageFault } from '../adapters/storage-fault.js';
import { ConfigError } from '../config.js';
import { databaseLabel } from '../domain/database-location.js';
import { terminalSafe } from '../domain/terminal-text.js';
import { registerBackupCommand } from './backup-command.js';
import { registerComparisonCommands } from './comparisons-commands.js';
import { CliContext, type CliIo, UsageError } from './context.js';
import { registerDraftCommands } from './draft-commands.js';
import { registerSendCommands } from './send-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerStatsCommand } from './stats-command.js';
import { registerSubscriberCommands } from './subscribers-commands.js';
import { registerVotesCommand } from './votes-command.js';
import { registerWorkerCommand } from './worker-command.js';

export function buildProgram(context: CliContext): Command {
  const program = new Command('digest')
    .description('Weekly AI Tool Verdicts: import comparisons, manage subscribers, send the weekly digest')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
    // Lets `digest draft --week W note ...` keep --week with `draft` (see draft-commands.ts).
    .enablePositionalOptions();
  registerComparisonCommands(program, context);
  registerSubscriberCommands(program, context);
  registerDraftCommands(program, context);
  registerSendCommands(program, context);
  registerStatsCommand(program, context);
  registerVotesCommand(program, context);
  registerServeCommand(program, context);
  registerWorkerCommand(program, context);
  registerBackupCommand(program, context);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs one command line (without the node and script arguments) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context = new CliContext(io);
  try {
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof DatabaseOpenError) {
      // A refusal can quote what it refuses (a stored title, a configured value): shown inert, never as
      // terminal escape sequences. Configuration errors are several lines, one per variable.
      io.stderr.write(`${terminalSafe(error.message, { multiLine: true })}\n`);
      return error instanceof UsageError ? 1 : 78; // 78: EX_CONFIG from sysexits.h
    }
    // A disk or database fault mid-command: one sentence for the operator, not a stack trace.
    const fault =
      error instanceof DatabaseBusyError
        ? `${error.message}; run the command again`
        : describeStorageFault(error);
    if (fault) {
      io.stderr.write(`DIGEST_DB (${databaseLabel(context.getConfig().database)}): ${fault}.\n`);
      return error instanceof DatabaseBusyError ? 75 : 74; // EX_TEMPFAIL, EX_IOERR from sysexits.h
    }
    // Anything else is a bug. Left uncaught, Node would print the stack and, for the built command, the
    // whole minified line it was thrown from (tens of kilobytes): say what failed, and where, in one line.
    const where = (error as Error)?.stack?.split('\n').find((line) => line.trim().startsWith('at '));
    io.stderr.write(
      `${terminalSafe(`digest failed unexpectedly (a bug; please report this line): ${(error as Error)?.message ?? String(error)}${where ? ` (${where.trim()})` : ''}`)}\n`,
    );
    return 70; // EX_SOFTWARE from sysexits.h
  } finally {
    await context.close();
  }
}
