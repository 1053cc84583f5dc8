import { describe, expect, it } from 'vitest';
import {
  AFTER_DELIVERY_MS,
  BURST_WINDOW_MS,
  classifyClicks,
  isScannerUserAgent,
} from '../../src/domain/machine-clicks.js';

const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const delivered = new Date('2026-11-25T10:00:00Z');
const at = (seconds: number) => new Date(delivered.getTime() + seconds * 1000);
const click = (seconds: number, link: string, userAgent: string | undefined = BROWSER) => ({
  at: at(seconds),
  link,
  userAgent,
});
const A = 'https://example.com/compare/a-vs-b';
const B = 'https://example.com/compare/c-vs-d';
const WEB = 'https://news.example.com/editions/2026-W47';

describe('isScannerUserAgent', () => {
  it.each([
    [BROWSER, false],
    ['Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36', false],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36 Edg/124.0',
      false,
    ],
    [undefined, true],
    ['', true],
    ['   ', true],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
    ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', true],
    ['BarracudaCentral/1.0', true],
    ['Mimecast URL Protect', true],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36', true],
    ['python-requests/2.31.0', true],
    ['curl/8.5.0', true],
    ['Go-http-client/1.1', true],
    ['facebookexternalhit/1.1', true],
  ])('%j: %s', (userAgent, expected) => {
    expect(isScannerUserAgent(userAgent)).toBe(expected);
  });
});

describe('classifyClicks', () => {
  it.each([
    ['one human click an hour after delivery', [click(3600, A)], delivered, [null]],
    [
      'a scanner user agent, whenever it clicks',
      [click(3600, A, 'Mimecast URL Protect')],
      delivered,
      ['scanner user agent'],
    ],
    ['a click with no user agent', [click(3600, A, '')], delivered, ['scanner user agent']],
    [
      'two different links within two seconds: both',
      [click(600, A), click(600 + BURST_WINDOW_MS / 1000, B)],
      delivered,
      ['burst of links', 'burst of links'],
    ],
    [
      'two different links just over two seconds apart: neither',
      [click(600, A), click(600 + BURST_WINDOW_MS / 1000 + 0.001, B)],
      delivered,
      [null, null],
    ],
    [
      'the same link twice in a second (a double click) is no burst',
      [click(600, A), click(600.5, A)],
      delivered,
      [null, null],
    ],
    [
      'links differing only in tracking parameters and fragment are one link',
      [click(600, A), click(600.4, `${A}?utm_source=digest#verdict`)],
      delivered,
      [null, null],
    ],
    [
      'a scanner burst over three links, and a person clicking later',
      [click(700, A), click(700.3, B), click(700.9, WEB), click(4000, A)],
      delivered,
      ['burst of links', 'burst of links', 'burst of links', null],
    ],
    [
      `a click within ${AFTER_DELIVERY_MS / 1000} seconds of delivery`,
      [click(AFTER_DELIVERY_MS / 1000 - 1, A)],
      delivered,
      ['right after delivery'],
    ],
    ['a click exactly at the limit is a person', [click(AFTER_DELIVERY_MS / 1000, A)], delivered, [null]],
    ['a click before the delivery was reported', [click(-30, A)], delivered, ['right after delivery']],
    ['with no delivery time, only the other two rules apply', [click(1, A)], undefined, [null]],
  ])('%s', (_name, clicks, deliveredAt, expected) => {
    expect(classifyClicks(clicks, deliveredAt)).toEqual(expected);
  });

  it('turns an earlier click into a machine click when the rest of its burst arrives', () => {
    const first = [click(900, A)];
    expect(classifyClicks(first, delivered)).toEqual([null]);
    expect(classifyClicks([...first, click(901, B)], delivered)).toEqual([
      'burst of links',
      'burst of links',
    ]);
  });
});
