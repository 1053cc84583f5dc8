// A lock that lives in the database (a lease row with an expiry), not in process memory, so two workers on
// one machine or on several, a worker and a manual `digest send`, or a process restarted after kill -9 all
// agree who may send. Expiry is what every machine can rely on: a holder renews before every provider
// request, so one that stops renewing (killed, frozen, cut off) loses the lease within LEASE_TTL_MS, and
// whoever takes it over resends any unconfirmed batch with its stored idempotency key. Process ids only
// shorten the wait on the holder's own machine. Times come from each process's clock: keep the machines'
// clocks synchronised (NTP), well within the TTL.

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from './database.js';

/** A killed holder's lease lapses within this long, so the next send resumes within a minute. */
export const LEASE_TTL_MS = 45_000;

export interface LeaseHolder {
  readonly name: string;
  readonly holder: string;
  readonly expiresAt: Date;
}

/** `host:pid:random`: who holds a lease, readable by an operator; the random part tells restarts apart. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * True when `holder` names a process on this machine that no longer exists (killed with -9, crashed):
 * its lease can be taken at once instead of after expiry. A reused pid only makes us wait for the expiry;
 * a holder on another machine is never judged from here.
 */
export function holderIsDeadHere(holder: string): boolean {
  const match = /^(.*):(\d+):[^:]*$/.exec(holder);
  if (!match || match[1] !== hostname()) return false;
  try {
    process.kill(Number(match[2]), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Takes the lease `name` for `holder` if it is free, expired or already ours: one INSERT ... ON CONFLICT
 * statement, so two processes racing for it cannot both win. Returns who holds it afterwards.
 */
export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  now: Date,
  ttlMs = LEASE_TTL_MS,
): Promise<{ acquired: true } | { acquired: false; current: LeaseHolder }> {
  const at = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await sql`
    insert into locks (name, holder, acquired_at, heartbeat_at, expires_at)
    values (${name}, ${holder}, ${at}, ${at}, ${expires})
    on conflict (name) do update set
      holder = excluded.holder,
      acquired_at = case when locks.holder = excluded.holder then locks.acquired_at else excluded.acquired_at end,
      heartbeat_at = excluded.heartbeat_at,
      expires_at = excluded.expires_at
    where locks.holder = excluded.holder or locks.expires_at <= ${at}
  `.execute(db);
  const row = await db.selectFrom('locks').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  if (row.holder === holder) return { acquired: true };
  if (holderIsDeadHere(row.holder)) {
    // Conditional on the dead holder still being recorded, so two processes reclaiming it cannot both win.
    const taken = await db
      .updateTable('locks')
      .set({ holder, acquired_at: at, heartbeat_at: at, expires_at: expires })
      .where('name', '=', name)
      .where('holder', '=', row.holder)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { acquired: true };
    return acquireLease(db, name, holder, now, ttlMs);
  }
  return { acquired: false, current: { name, holder: row.holder, expiresAt: new Date(row.expires_at) } };
}

/** Extends our lease; false means it lapsed and someone else took it, so we must stop at once. */
export async function renewLease(
  db: Db,
  name: string,
  holder: string,
  now: Date,
  ttlMs = LEASE_TTL_MS,
): Promise<boolean> {
  const result = await db
    .updateTable('locks')
    .set({ heartbeat_at: now.toISOString(), expires_at: new Date(now.getTime() + ttlMs).toISOString() })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom('locks').where('name', '=', name).where('holder', '=', holder).execute();
}
