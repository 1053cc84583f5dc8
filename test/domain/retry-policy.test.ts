import { describe, expect, it } from 'vitest';
import {
  announcedRate,
  backoffDelay,
  retryAfterFromHeaders,
  retryDelay,
} from '../../src/domain/retry-policy.js';

const now = new Date('2026-11-23T09:00:00Z');

describe('backoffDelay', () => {
  it('doubles per attempt with jitter in the upper half, up to the ceiling', () => {
    const options = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 0, options))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 0.999, options))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
});

describe('retryDelay', () => {
  it("honours the provider's wait over the backoff", () => {
    expect(retryDelay(1, 0, 3000, { baseMs: 100, maxMs: 1000 })).toBe(3000);
    expect(retryDelay(1, 0.5, undefined, { baseMs: 100, maxMs: 1000 })).toBe(75);
  });
});

describe('retryAfterFromHeaders', () => {
  it.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Mon, 23 Nov 2026 09:00:05 GMT' }, 5000],
    [{ 'ratelimit-reset': '1' }, 1000],
    [{ 'retry-after': '3', 'ratelimit-reset': '1' }, 3000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (headers, expected) => {
    expect(retryAfterFromHeaders(headers, now)).toBe(expected);
  });

  it('copes with no headers at all (a network failure)', () => {
    expect(retryAfterFromHeaders(null, now)).toBeUndefined();
  });
});

describe('announcedRate', () => {
  it.each([
    [{ 'ratelimit-limit': '5', 'ratelimit-remaining': '4', 'ratelimit-reset': '1' }, 5],
    [{ 'ratelimit-limit': '2' }, 2],
    [{ 'ratelimit-limit': ' 10 ', 'ratelimit-policy': '10;w=2' }, 5],
    [{ 'ratelimit-limit': '5', 'ratelimit-policy': '5;w=1;comment="per team"' }, 5],
    [{ 'ratelimit-limit': '5', 'ratelimit-policy': 'nonsense' }, 5],
    [{ 'ratelimit-limit': '0' }, undefined],
    [{ 'ratelimit-limit': 'many' }, undefined],
    [{ 'ratelimit-remaining': '3' }, undefined],
    [{}, undefined],
  ])('reads %j as %s requests a second', (headers, expected) => {
    expect(announcedRate(headers)).toBe(expected);
  });

  it('copes with no headers at all (a network failure)', () => {
    expect(announcedRate(null)).toBeUndefined();
  });
});
