// The one entry point: `npm run digest -- <command>`.

import { runCli } from './cli/program.js';
import { readEnvironment } from './config.js';
import { systemClock } from './domain/clock.js';

const code = await runCli(process.argv.slice(2), {
  env: readEnvironment(),
  clock: systemClock,
  stdout: process.stdout,
  stderr: process.stderr,
});
process.exitCode = code;
