// digest backup <file>: a consistent copy of DIGEST_DB, safe to take while the worker sends.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BackupTargetError, backupDatabase } from '../adapters/backup.js';
import { isPostgresUrl } from '../domain/database-location.js';
import { type CliContext, UsageError } from './context.js';

const EX_CANTCREAT = 73; // sysexits.h: an output file cannot be created

export function registerBackupCommand(program: Command, context: CliContext): void {
  program
    .command('backup')
    .description(
      'write a consistent copy of the database (DIGEST_DB) to <file>, safe while the worker runs; ' +
        'the README says how to restore it',
    )
    .argument('<file>', 'the copy to write; an existing file is replaced only once the new copy is complete')
    .action(async (file: string) => {
      const { database } = context.getConfig();
      // PostgreSQL has its own consistent online copy, which also restores across versions and machines.
      if (isPostgresUrl(database))
        throw new UsageError(
          'digest backup copies a SQLite file, and DIGEST_DB is a PostgreSQL database: back it up with pg_dump (see "Several machines" in the README).',
        );
      const target = resolve(file);
      try {
        const result = await backupDatabase(database, target);
        const megabytes = (result.bytes / 1_048_576).toFixed(1);
        context.print(`Backed up ${database} to ${target} (${megabytes} MB, integrity checked).`);
      } catch (error) {
        if (!(error instanceof BackupTargetError)) throw error;
        context.warn(error.message);
        context.fail(EX_CANTCREAT);
      }
    });
}
