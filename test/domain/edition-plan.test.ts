import { describe, expect, it } from 'vitest';
import type { DigestComparison } from '../../src/domain/digest.js';
import { assignContent, contentKeyOf } from '../../src/domain/edition-plan.js';

const item = (slug: string, categories: string[]) => ({ slug, categories }) as unknown as DigestComparison;
const items = [
  item('agents', ['Coding Agents']),
  item('local', ['Local Inference', 'Developer Tools']),
  item('images', ['Image Generation']),
];

describe('assignContent', () => {
  it('gives everything to a subscriber who follows no category', () => {
    expect(assignContent({ status: 'active', categories: [] }, items)).toMatchObject({
      status: 'pending',
      contentKey: contentKeyOf(items),
    });
  });

  it('keeps comparisons where either tool is in a followed category, in edition order', () => {
    const assignment = assignContent(
      { status: 'active', categories: ['developer tools', 'Coding Agents'] },
      items,
    );
    expect(
      assignment.status === 'pending' && assignment.comparisons.map((comparison) => comparison.slug),
    ).toEqual(['agents', 'local']);
  });

  it('skips a subscriber whose categories match nothing', () => {
    expect(assignContent({ status: 'active', categories: ['Robotics'] }, items)).toEqual({
      status: 'skipped',
      reason: 'no matching categories',
    });
  });

  it.each([
    ['pending', 'pending confirmation'],
    ['unsubscribed', 'unsubscribed'],
    ['bounced', 'bounced'],
    ['complained', 'complained'],
  ] as const)('excludes a %s subscriber with the reason "%s"', (status, reason) => {
    expect(assignContent({ status, categories: [] }, items)).toEqual({ status: 'skipped', reason });
  });
});
