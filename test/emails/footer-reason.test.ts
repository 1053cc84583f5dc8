// The footer's "why you get this" is true for each reader: one who subscribed and confirmed is told so; one
// the newsletter's team added (subscribers add, an import) is told that instead, in the HTML and the text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/database.js';
import { silentLogger } from '../../src/adapters/logger.js';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import { findSubscriberByKey } from '../../src/adapters/subscriber-repository.js';
import { fixedClock } from '../../src/domain/clock.js';
import { type ConsentReason, consentReason, reasonSentence } from '../../src/domain/consent-reason.js';
import { requestConfirmation } from '../../src/services/confirmation-request.js';
import { confirm, subscribe } from '../../src/services/opt-in.js';
import { sendEdition } from '../../src/services/send-edition.js';
import { addSubscribers, importSubscriberCsv } from '../../src/services/subscribers.js';
import { scratchDir } from '../support/cli.js';
import { testDatabase } from '../support/db.js';
import { importSamples, sendDeps, testConfig } from '../support/sending.js';

const SITE = 'https://news.verdicts.test';
const ADDED =
  "You get this email because the newsletter's team added your address to Weekly AI Tool Verdicts";
const CONFIRMED = 'You get this email because you subscribed to Weekly AI Tool Verdicts';

async function readOutbox(dir: string) {
  return Promise.all((await listOutbox(dir)).map((name) => simpleParser(readFileSync(join(dir, name)))));
}
const recipient = (mail: Awaited<ReturnType<typeof readOutbox>>[number]) =>
  mail.to && !Array.isArray(mail.to) ? mail.to.text : '';

describe('consentReason', () => {
  it.each<[string, boolean, ConsentReason]>([
    ['form', false, 'confirmed'],
    ['form', true, 'confirmed'],
    ['cli', false, 'added'],
    ['csv', false, 'added'],
    ['cli', true, 'confirmed'],
    ['csv', true, 'confirmed'],
  ])('a reader from %s (confirmed a link: %s) is %s', (source, confirmedByLink, reason) => {
    expect(consentReason(source, confirmedByLink)).toBe(reason);
  });

  it.each<[ConsentReason, string]>([
    ['confirmed', `${CONFIRMED} at ${SITE} and confirmed your address.`],
    ['added', `${ADDED} (${SITE}).`],
  ])('says why for %s readers', (reason, sentence) => {
    expect(reasonSentence(reason, SITE)).toBe(sentence);
  });
});

describe('the digest footer', () => {
  let db: Db;
  beforeEach(async () => {
    db = await testDatabase();
    await importSamples(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('tells readers the team added that the team added them, and those who confirmed that they did', async () => {
    const clock = fixedClock(new Date('2026-11-01T00:00:00Z'));
    const signups = join(scratchDir(), 'signups');
    const optIn = {
      db,
      clock,
      config: testConfig(),
      transport: createOutboxTransport(signups, clock),
      log: silentLogger,
    };
    const confirmLatest = async (to: string) => {
      const mail = (await readOutbox(signups)).find((each) => recipient(each) === to);
      const token = /\/confirm\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
      expect((await confirm(optIn, token)).status).toBe('confirmed');
    };
    await addSubscribers({ db, clock }, ['added@example.com'], { status: 'active', categories: [] });
    await importSubscriberCsv({ db, clock }, 'email,status\nimported@example.com,active\n', {
      skipInvalid: false,
    });
    // Added by the team as pending, then confirmed by its person: they did subscribe.
    await addSubscribers({ db, clock }, ['asked@example.com'], { status: 'pending', categories: [] });
    await requestConfirmation(optIn, (await findSubscriberByKey(db, 'asked@example.com'))?.id ?? 0);
    await confirmLatest('asked@example.com');
    const consent = { ip: undefined, userAgent: undefined };
    await subscribe(optIn, { email: 'self@example.com', categories: [], consent, form: 'signup' });
    await confirmLatest('self@example.com');

    const outbox = join(scratchDir(), 'outbox');
    await sendEdition(sendDeps(db, createOutboxTransport(outbox)), '2026-W47');
    const digests = new Map((await readOutbox(outbox)).map((mail) => [recipient(mail), mail]));
    expect([...digests.keys()].sort()).toEqual([
      'added@example.com',
      'asked@example.com',
      'imported@example.com',
      'self@example.com',
    ]);
    const footers = (to: string) => {
      const mail = digests.get(to);
      return [mail?.text ?? '', typeof mail?.html === 'string' ? mail.html : ''];
    };
    for (const to of ['added@example.com', 'imported@example.com'])
      for (const body of footers(to)) {
        expect(body).toContain(ADDED);
        expect(body).not.toContain(CONFIRMED);
        expect(body).not.toContain('-reason');
      }
    for (const to of ['self@example.com', 'asked@example.com'])
      for (const body of footers(to)) {
        expect(body).toContain(CONFIRMED);
        expect(body).not.toContain('team added');
      }
  });
});
