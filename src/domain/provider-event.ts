// Resend's webhook events (email.*), read leniently: a field that is missing or of the wrong type is left
// out rather than failing the event, since Resend adds fields and a stored event must never be refused
// for a detail this code does not use. Only a body that is not a JSON object is refused.
import { z } from 'zod';

/** The events applied to a delivery (docs/engagement.md), by the name they get in the engagement tables. */
export type EngagementType =
  | 'delivered'
  | 'delayed'
  | 'opened'
  | 'clicked'
  | 'bounced'
  | 'complained'
  | 'failed'
  | 'suppressed';

const ENGAGEMENT_TYPES: Readonly<Record<string, EngagementType>> = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delayed',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.failed': 'failed',
  'email.suppressed': 'suppressed',
};

export interface ClickDetail {
  readonly link: string;
  readonly at: Date | undefined;
  readonly userAgent: string | undefined;
  readonly ipAddress: string | undefined;
}

export interface ProviderEvent {
  /** Resend's name, e.g. `email.clicked`; `unknown` when absent. */
  readonly type: string;
  /** Set for the events this product applies; undefined for others (email.sent, contact.*, ...). */
  readonly engagement: EngagementType | undefined;
  readonly emailId: string | undefined;
  /** Lower-cased recipient addresses. */
  readonly recipients: readonly string[];
  /** When Resend emitted the event. */
  readonly createdAt: Date | undefined;
  readonly click: ClickDetail | undefined;
  readonly bounce:
    | { readonly type?: string; readonly subType?: string; readonly message?: string }
    | undefined;
  readonly failed: { readonly reason?: string } | undefined;
  readonly suppressed: { readonly type?: string; readonly reason?: string } | undefined;
}

export type ParsedProviderEvent =
  | { readonly ok: true; readonly event: ProviderEvent }
  | { readonly ok: false; readonly reason: string };

/** A value of the expected type, or undefined: one odd field never sinks the event. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const text = lenient(z.string());
const instant = lenient(z.iso.datetime({ offset: true }).transform((value) => new Date(value)));
const details = <T extends z.ZodRawShape>(shape: T) => lenient(z.looseObject(shape));

const eventSchema = z.looseObject({
  type: text,
  created_at: instant,
  data: lenient(
    z.looseObject({
      email_id: text,
      to: lenient(z.union([z.string().transform((one) => [one]), z.array(z.unknown())])),
      click: details({ link: z.string(), timestamp: instant, userAgent: text, ipAddress: text }),
      bounce: details({ type: text, subType: text, message: text }),
      failed: details({ reason: text }),
      suppressed: details({ type: text, reason: text }),
    }),
  ),
});

export function parseProviderEvent(json: unknown): ParsedProviderEvent {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return { ok: false, reason: 'the body must be a JSON object' };
  const parsed = eventSchema.parse(json);
  const data = parsed.data;
  const type = parsed.type ?? 'unknown';
  const click = data?.click;
  return {
    ok: true,
    event: {
      type,
      engagement: ENGAGEMENT_TYPES[type],
      emailId: data?.email_id,
      recipients: (data?.to ?? [])
        .filter((entry): entry is string => typeof entry === 'string')
        .map((entry) => entry.trim().toLowerCase()),
      createdAt: parsed.created_at,
      click: click
        ? { link: click.link, at: click.timestamp, userAgent: click.userAgent, ipAddress: click.ipAddress }
        : undefined,
      bounce: data?.bounce,
      failed: data?.failed,
      suppressed: data?.suppressed,
    },
  };
}

/**
 * What is kept of an event that cannot be tied to a subscriber (mail to an erased person, a test copy):
 * its type, time, provider id and tags, and nothing that names or locates a person (address, bounce
 * diagnostics that quote it, a click's IP address and user agent, links carrying personal tokens).
 */
export function impersonalPayload(json: unknown): string {
  const record = (value: unknown) =>
    (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const event = record(json);
  const data = record(event.data);
  return JSON.stringify({
    type: event.type,
    created_at: event.created_at,
    data: { email_id: data.email_id, tags: data.tags },
    redacted: true,
  });
}
