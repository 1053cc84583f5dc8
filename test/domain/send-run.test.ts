import { describe, expect, it } from 'vitest';
import { isUnfinished, sendLeaseName } from '../../src/domain/send-run.js';

describe('isUnfinished', () => {
  it.each([
    ['locked', true],
    ['halted', true],
    ['interrupted', true],
    ['sent', false],
    ['already sent', false],
    ['skipped', false],
    ['missed', false],
    ['not approved', false],
  ])('a run that ended %s leaves the week to finish: %s', (outcome, expected) => {
    expect(isUnfinished(outcome)).toBe(expected);
  });
});

describe('sendLeaseName', () => {
  it('names the lease after the week, as the lease table stores it', () => {
    expect(sendLeaseName('2026-W47')).toBe('send:2026-W47');
  });
});
