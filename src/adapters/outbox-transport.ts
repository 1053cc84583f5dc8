// The outbox: with no Resend key, every message becomes a standard .eml file (RFC 5322, multipart/
// alternative), so the whole system works, and can be inspected, without an account.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from './make-directory.js';
import { describeStorageFault } from './storage-fault.js';
import type { EmailMessage, SendOutcome, Transport } from './transport.js';

/**
 * RFC 5322 lines end in CRLF. The composer writes its own headers and boundaries that way but copies a body
 * part's line breaks as given, and the renderer writes bare LF: a strict reader (or a signature over the
 * canonical form) would see a different message.
 */
function crlf(body: string): string {
  return body.replace(/\r?\n/g, '\r\n');
}

/**
 * Builds the raw RFC 5322 bytes of a message with nodemailer's MIME composer, loaded on first use: a process
 * that sends through Resend never loads it.
 */
async function composeEml(message: EmailMessage, messageId: string, date: Date): Promise<Buffer> {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const tagHeaders = Object.fromEntries(message.tags.map((tag) => [`X-Tag-${tag.name}`, tag.value]));
  return new MailComposer({
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: crlf(message.text),
    html: crlf(message.html),
    date,
    messageId,
    headers: { ...message.headers, ...tagHeaders },
  })
    .compile()
    .build();
}

function fileSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}

/**
 * Writes one `.eml` per message into `dir`. Each file is written under a temporary name and renamed into
 * place, so a reader (or a crash) never sees half a message. The idempotency key names the files, so a
 * batch retried after a crash overwrites its own files instead of adding copies, as Resend's idempotency
 * keys would prevent duplicates.
 */
export function createOutboxTransport(
  dir: string,
  clock: { now(): Date } = { now: () => new Date() },
): Transport {
  return {
    kind: 'outbox',
    async sendBatch(messages, idempotencyKey): Promise<SendOutcome> {
      try {
        makeDirectory(dir);
        const keyHash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
        const ids: string[] = [];
        for (const [index, message] of messages.entries()) {
          const id = `${keyHash}-${index}`;
          const eml = await composeEml(message, `<${id}@outbox.verdict-digest>`, clock.now());
          const name = `${fileSafe(message.to)}--${id}.eml`;
          const temporary = join(dir, `.${name}.${randomUUID()}.tmp`);
          try {
            await writeFile(temporary, eml);
            await rename(temporary, join(dir, name));
          } catch (error) {
            // A full disk leaves the temporary file behind, empty or cut short: never leave it there.
            await rm(temporary, { force: true });
            throw error;
          }
          ids.push(`outbox-${id}`);
        }
        return { status: 'accepted', ids };
      } catch (error) {
        const fault = describeStorageFault(error) ?? (error as Error).message;
        return { status: 'retryable', reason: `cannot write to the outbox ${dir}: ${fault}` };
      }
    },
  };
}

/** The .eml files in an outbox, oldest name first. */
export async function listOutbox(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
  } catch {
    return [];
  }
}
