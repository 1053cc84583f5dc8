import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createOutboxTransport, listOutbox } from '../../src/adapters/outbox-transport.js';
import type { EmailMessage } from '../../src/adapters/transport.js';
import { scratchDir } from '../support/cli.js';

const message = (to: string): EmailMessage => ({
  from: 'Weekly AI Tool Verdicts <verdicts@example.com>',
  to,
  subject: 'Weekly AI Tool Verdicts, 2026-W47: 3 new comparisons — Ünïcode',
  html: '<!DOCTYPE html><html lang="en"><body><p>Hello &amp; welcome</p></body></html>',
  text: 'Hello & welcome',
  headers: {
    'List-Unsubscribe': '<https://news.example.com/unsubscribe/abc>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': 'Weekly AI Tool Verdicts <weekly-verdicts.example.com>',
  },
  tags: [{ name: 'edition', value: '2026-W47' }],
});

describe('outbox transport', () => {
  it('writes one standard multipart/alternative .eml per message with every header', async () => {
    const dir = scratchDir();
    const outcome = await createOutboxTransport(dir).sendBatch(
      [message('ada@example.com'), message('bob@example.com')],
      'key-1',
    );
    expect(outcome).toMatchObject({ status: 'accepted', ids: [expect.any(String), expect.any(String)] });
    const files = await listOutbox(dir);
    expect(files).toHaveLength(2);
    const parsed = await simpleParser(readFileSync(join(dir, files[0] ?? '')));
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(parsed.subject).toBe(message('x').subject);
    expect(parsed.text?.trim()).toBe('Hello & welcome');
    expect(parsed.html).toContain('Hello &amp; welcome');
    const header = (key: string) => parsed.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toBe('List-Unsubscribe: <https://news.example.com/unsubscribe/abc>');
    expect(header('list-id')).toBe('List-ID: Weekly AI Tool Verdicts <weekly-verdicts.example.com>');
    expect(parsed.headers.get('x-tag-edition')).toBe('2026-W47');
    expect(parsed.messageId).toBeTruthy();
    expect(parsed.date).toBeInstanceOf(Date);
  });

  it('ends every line in CRLF, body parts included, as RFC 5322 requires', async () => {
    const dir = scratchDir();
    const multiline: EmailMessage = {
      ...message('ada@example.com'),
      text: 'Weekly AI Tool Verdicts\n\nClaude Code vs Aider — café\nRead it: https://example.com/a\n',
      html: '<!DOCTYPE html>\n<html lang="en">\n<body><p>Hello</p>\r\n<p>again</p></body>\n</html>',
    };
    await createOutboxTransport(dir).sendBatch([multiline], 'key-crlf');
    const [file] = await listOutbox(dir);
    const raw = readFileSync(join(dir, file ?? '')).toString('latin1');
    expect(raw).toContain('\r\n\r\n');
    expect(raw.match(/(?<!\r)\n/g)).toBeNull();
    const parsed = await simpleParser(raw);
    expect(parsed.text).toContain('Claude Code vs Aider — café');
    expect(parsed.html).toContain('<p>again</p>');
  });

  it('answers at once, naming the folder, when the outbox cannot be created there (under /proc)', async () => {
    const outcome = await createOutboxTransport('/proc/nope/outbox').sendBatch(
      [message('ada@example.com')],
      'k',
    );
    expect(outcome).toMatchObject({
      status: 'retryable',
      reason: expect.stringContaining('cannot write to the outbox /proc/nope/outbox'),
    });
  });

  it('overwrites rather than duplicates when a batch is retried with its key', async () => {
    const dir = scratchDir();
    const transport = createOutboxTransport(dir);
    await transport.sendBatch([message('ada@example.com')], 'same-key');
    await transport.sendBatch([message('ada@example.com')], 'same-key');
    expect(await listOutbox(dir)).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('reports an unwritable outbox as retryable, losing nothing', async () => {
    const file = join(scratchDir(), 'a-file');
    writeFileSync(file, '');
    const outcome = await createOutboxTransport(join(file, 'outbox')).sendBatch(
      [message('ada@example.com')],
      'k',
    );
    expect(outcome).toEqual({
      status: 'retryable',
      reason: `cannot write to the outbox ${join(file, 'outbox')}: a file is in the way where a folder should be; choose another path or move that file`,
    });
  });
});
