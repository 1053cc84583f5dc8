import { describe, expect, it } from 'vitest';
import {
  BATCH_MOVES,
  countIn,
  DELIVERY_MOVES,
  DELIVERY_STATUSES,
  type DeliveryGroup,
  type DeliveryStatus,
  deliveryMovesBetween,
  groupsOf,
} from '../../src/domain/delivery-status.js';

describe('deliveryMovesBetween', () => {
  // Every (from, to) pair: the moves that make it, none when the ledger never makes it.
  const table: [DeliveryStatus | null, DeliveryStatus, string[]][] = [
    [null, 'pending', ['freezePending']],
    [null, 'batched', []],
    [null, 'sent', []],
    [null, 'failed', []],
    [null, 'skipped', ['freezeSkipped']],
    ['pending', 'pending', []],
    ['pending', 'batched', ['formBatch']],
    ['pending', 'sent', []],
    ['pending', 'failed', []],
    ['pending', 'skipped', ['skipWithdrawn']],
    ['batched', 'pending', ['requeueAlone']],
    ['batched', 'batched', []],
    ['batched', 'sent', ['markBatchSent']],
    ['batched', 'failed', ['failBatch']],
    ['batched', 'skipped', []],
    ['sent', 'pending', []],
    ['sent', 'batched', []],
    ['sent', 'sent', []],
    ['sent', 'failed', []],
    ['sent', 'skipped', []],
    ['failed', 'pending', []],
    ['failed', 'batched', []],
    ['failed', 'sent', []],
    ['failed', 'failed', []],
    ['failed', 'skipped', []],
    ['skipped', 'pending', []],
    ['skipped', 'batched', []],
    ['skipped', 'sent', []],
    ['skipped', 'failed', []],
    ['skipped', 'skipped', []],
  ];

  it.each(table)('%s -> %s: %j', (from, to, moves) => {
    expect(deliveryMovesBetween(from, to)).toEqual(moves);
  });

  it('covers every pair once', () => {
    const froms = [null, ...DELIVERY_STATUSES];
    expect(table).toHaveLength(froms.length * DELIVERY_STATUSES.length);
    expect(new Set(table.map(([from, to]) => `${from}>${to}`)).size).toBe(table.length);
  });

  it('names each move once in the table', () => {
    expect(table.flatMap(([, , moves]) => moves).sort()).toEqual(Object.keys(DELIVERY_MOVES).sort());
  });
});

describe('BATCH_MOVES', () => {
  it.each([
    ['formBatch', null, 'pending'],
    ['markBatchSent', 'pending', 'sent'],
    ['requeueAlone', 'pending', 'failed'],
    ['failBatch', 'pending', 'failed'],
  ] as const)('%s takes the batch from %s to %s', (name, from, to) => {
    expect(BATCH_MOVES[name]).toEqual({ from, to });
  });
});

describe('groupsOf', () => {
  it.each<[DeliveryStatus, DeliveryGroup[]]>([
    ['pending', ['unfinished', 'eligible']],
    ['batched', ['unfinished', 'eligible', 'mayHaveReached']],
    ['sent', ['finished', 'eligible', 'done', 'mayHaveReached']],
    ['failed', ['finished', 'eligible', 'done']],
    ['skipped', ['finished']],
  ])('%s is in %j', (status, groups) => {
    expect(groupsOf(status)).toEqual(groups);
  });

  it('calls finished exactly the statuses no move leaves', () => {
    const left = new Set<DeliveryStatus | null>(Object.values(DELIVERY_MOVES).map((move) => move.from));
    const finished = DELIVERY_STATUSES.filter((status) => !left.has(status));
    expect(finished).toEqual(DELIVERY_STATUSES.filter((status) => groupsOf(status).includes('finished')));
  });

  it('puts every status in exactly one of unfinished and finished', () => {
    for (const status of DELIVERY_STATUSES) {
      const groups = groupsOf(status);
      expect(Number(groups.includes('unfinished')) + Number(groups.includes('finished'))).toBe(1);
    }
  });
});

describe('countIn', () => {
  const byStatus = { pending: 3, batched: 2, sent: 10, failed: 1, skipped: 4 };

  it.each<[DeliveryGroup, number]>([
    ['unfinished', 5],
    ['finished', 15],
    ['eligible', 16],
    ['done', 11],
    ['mayHaveReached', 12],
  ])('counts %s as %i', (group, count) => {
    expect(countIn(byStatus, group)).toBe(count);
  });

  it('counts a status with no rows as none', () => {
    expect(countIn({ sent: 2 }, 'unfinished')).toBe(0);
    expect(countIn({}, 'eligible')).toBe(0);
  });
});
