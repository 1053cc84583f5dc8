import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { acquireLease, holderIsDeadHere, releaseLease, renewLease } from '../../src/adapters/lease.js';
import { testDatabase } from '../support/db.js';

const t0 = new Date('2026-11-23T09:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('send lease', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('lets one holder in and tells the other who holds it until when', async () => {
    expect(await acquireLease(db, 'send:2026-W47', 'a', t0, 45_000)).toEqual({ acquired: true });
    expect(await acquireLease(db, 'send:2026-W47', 'b', later(1000), 45_000)).toEqual({
      acquired: false,
      current: { name: 'send:2026-W47', holder: 'a', expiresAt: later(45_000) },
    });
    expect(await acquireLease(db, 'send:2026-W48', 'b', later(1000), 45_000)).toEqual({ acquired: true });
  });

  it('is taken over once a dead holder lets it expire, and the old holder learns it lost it', async () => {
    await acquireLease(db, 'send', 'dead', t0, 45_000);
    expect(await acquireLease(db, 'send', 'next', later(45_000), 45_000)).toEqual({ acquired: true });
    expect(await renewLease(db, 'send', 'dead', later(46_000))).toBe(false);
    expect(await renewLease(db, 'send', 'next', later(46_000))).toBe(true);
  });

  it('is renewed by its holder and freed on release', async () => {
    await acquireLease(db, 'send', 'a', t0, 45_000);
    expect(await renewLease(db, 'send', 'a', later(40_000), 45_000)).toBe(true);
    expect((await acquireLease(db, 'send', 'b', later(50_000), 45_000)).acquired).toBe(false);
    await releaseLease(db, 'send', 'a');
    expect((await acquireLease(db, 'send', 'b', later(50_000), 45_000)).acquired).toBe(true);
  });
});

describe('a lease left by a killed process on this machine', () => {
  it('is reclaimed at once, while a live holder keeps it', async () => {
    const db = await testDatabase();
    const gone = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    await acquireLease(db, 'send', `${hostname()}:${gone}:dead0000`, t0, 45_000);
    expect(await acquireLease(db, 'send', 'me', later(1000), 45_000)).toEqual({ acquired: true });
    await acquireLease(db, 'other', `${hostname()}:${process.pid}:alive000`, t0, 45_000);
    expect((await acquireLease(db, 'other', 'me', later(1000), 45_000)).acquired).toBe(false);
    expect(holderIsDeadHere(`another-host:${gone}:x`)).toBe(false);
    await db.destroy();
  });
});
