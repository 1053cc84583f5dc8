// A throwaway PostgreSQL server for the tests: `initdb` in a temporary directory, `postgres` listening on
// 127.0.0.1 and a free port (its socket in the same directory), dropped at the end. It runs as the
// `postgres` operating-system user when we are root (initdb refuses root), as ourselves otherwise.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './writers.js';

export interface Cluster {
  /** URL of the `postgres` database as the superuser, for creating and dropping databases. */
  readonly adminUrl: string;
  stop(): void;
}

const SUPERUSER = 'postgres';
// A throwaway cluster on loopback; the password only makes the server check one, as a real one does.
const PASSWORD = 'throwaway-test-cluster';

/** Debian's server binaries (/usr/lib/postgresql/<major>/bin, newest first), or those on PATH. */
function binDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian)
      .filter((name) => existsSync(join(debian, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(debian, majors[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      "PostgreSQL's server is needed for the Postgres tests: install Debian's `postgresql` package (.ci/run does)",
    );
  }
}

export async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'digest-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) => {
    const command = asRoot
      ? ['runuser', '-u', SUPERUSER, '--', join(bin, program), ...args]
      : [join(bin, program), ...args];
    execFileSync(command[0] ?? '', command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  if (asRoot) {
    const { uid, gid } = userIds(SUPERUSER);
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, PASSWORD, { mode: 0o644 });
  run('initdb', [
    '-D',
    data,
    '-U',
    SUPERUSER,
    '--pwfile',
    pwfile,
    '--auth',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--locale',
    'C.utf8',
    '--no-sync',
  ]);
  const port = await freePort();
  // Durability is not what these tests measure: a crash of the test machine loses nothing worth keeping.
  const settings = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-c unix_socket_directories='${dir}'`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', settings, '-w', '-t', '60', 'start']);
  return {
    adminUrl: `postgres://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
