// The Kysely Database interface: types only, kept in step with db/migrations.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';
export type EditionStatus = 'sending' | 'sent' | 'skipped' | 'missed';
export type DeliveryStatus = 'pending' | 'batched' | 'sent' | 'failed' | 'skipped';
export type BatchStatus = 'pending' | 'sent' | 'failed';

export interface ComparisonsTable {
  id: Generated<number>;
  slug: string;
  title: string;
  url: string | null;
  headline: string | null;
  published_at: string;
  created_at: string;
  updated_at: string;
}

export interface ToolsTable {
  id: Generated<number>;
  comparison_id: number;
  position: number;
  slug: string;
  name: string;
  category: string;
  tagline: string | null;
  description: string | null;
  pricing: string | null;
  entry_price: string | null;
  best_for: string | null;
  url: string | null;
  community_ship: number | null;
  community_skip: number | null;
}

export interface ReviewsTable {
  id: Generated<number>;
  tool_id: number;
  position: number;
  persona: string;
  score: number;
  verdict: 'ship' | 'skip';
  text: string | null;
}

export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  email_key: string;
  status: SubscriberStatus;
  categories: string;
  token: string;
  source: string;
  consent_at: string | null;
  consent_ip: string | null;
  consent_user_agent: string | null;
  consent_form: string | null;
  confirmed_at: string | null;
  status_changed_at: string;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConfirmationTokensTable {
  token_hash: string;
  subscriber_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** The sign-up's choices and consent evidence, applied to the subscriber when the link is confirmed. */
  categories: string | null;
  consent_at: string | null;
  consent_ip: string | null;
  consent_user_agent: string | null;
  consent_form: string | null;
}

export interface EditionsTable {
  id: Generated<number>;
  week_key: string;
  status: EditionStatus;
  reason: string | null;
  time_zone: string;
  window_start: string;
  window_end: string;
  subject: string | null;
  planned_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Markdown of the editor's note it went out with (0003). */
  note: string | null;
  /** Who approved the draft it was frozen from, and when; null when it went out unapproved (0003). */
  approved_by: string | null;
  approved_at: string | null;
}

export interface EditionItemsTable {
  edition_id: number;
  comparison_id: number;
  position: number;
  snapshot: string;
}

export interface EditionContentsTable {
  id: Generated<number>;
  edition_id: number;
  content_key: string;
  subject: string;
  html: string;
  text: string;
  placeholders: string;
}

export interface BatchesTable {
  id: Generated<number>;
  edition_id: number;
  idempotency_key: string;
  envelope: string;
  payload_hash: string;
  status: BatchStatus;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface DeliveriesTable {
  id: Generated<number>;
  edition_id: number;
  subscriber_id: number;
  status: DeliveryStatus;
  reason: string | null;
  solo: Generated<number>;
  content_id: number | null;
  batch_id: number | null;
  provider_message_id: string | null;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  opened_at: string | null;
  clicked_at: string | null;
  bounced_at: string | null;
  complained_at: string | null;
}

export interface ProviderEventsTable {
  svix_id: string;
  type: string;
  email_id: string | null;
  payload: string;
  received_at: string;
  /** Whose event it is, so erasure finds it; null (and the payload impersonal) when nobody's. */
  subscriber_id: number | null;
}

export type DeliveryEventType =
  | 'delivered'
  | 'delayed'
  | 'opened'
  | 'clicked'
  | 'bounced'
  | 'complained'
  | 'failed'
  | 'suppressed'
  | 'unsubscribed';

/** Bounces: permanent, transient, undetermined. Clicks: human, machine, personal (the reader's own links) or unclassified. */
export type DeliveryEventKind =
  | 'permanent'
  | 'transient'
  | 'undetermined'
  | 'human'
  | 'machine'
  | 'personal'
  | 'unclassified';

export interface DeliveryEventsTable {
  id: Generated<number>;
  delivery_id: number;
  edition_id: number;
  type: DeliveryEventType;
  kind: DeliveryEventKind | null;
  occurred_at: string;
  link: string | null;
  user_agent: string | null;
  ip_address: string | null;
  comparison_slug: string | null;
  machine_reason: string | null;
  detail: string | null;
}

/** The web version of a sent edition, rendered once: a sent edition never changes. */
export interface WebVersionsTable {
  edition_id: number;
  html: string;
  /** A strong validator of `html` (RFC 9110 section 8.8.3), sent as ETag. */
  etag: string;
  rendered_at: string;
}

export interface LocksTable {
  name: string;
  holder: string;
  acquired_at: string;
  heartbeat_at: string;
  expires_at: string;
}

export interface DraftsTable {
  week_key: string;
  note: string | null;
  subject: string | null;
  revision: Generated<number>;
  approved_by: string | null;
  approved_at: string | null;
  approved_fingerprint: string | null;
  updated_at: string;
}

export interface DraftItemsTable {
  week_key: string;
  comparison_id: number;
  position: number | null;
  held: Generated<number>;
}

export type ReviewCopyKind = 'lead' | 'due';

export interface ReviewCopiesTable {
  week_key: string;
  kind: ReviewCopyKind;
  idempotency_key: string;
  status: 'pending' | 'sent' | 'failed';
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface EditorSignInLinksTable {
  token_hash: string;
  email: string;
  email_key: string;
  return_to: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface EditorSessionsTable {
  id_hash: string;
  email: string;
  created_at: string;
  last_seen_at: string;
  flash: string | null;
}

export type VoteChoice = 'ship' | 'skip';

/** A reader's verdict on one tool of one comparison, from a digest's vote link (0008). */
export interface VotesTable {
  subscriber_id: number;
  comparison_id: number;
  tool_slug: string;
  choice: VoteChoice;
  /** The edition whose link recorded it (the latest, after a change of mind). */
  edition_id: number;
  created_at: string;
  updated_at: string;
}

export interface Database {
  comparisons: ComparisonsTable;
  tools: ToolsTable;
  reviews: ReviewsTable;
  subscribers: SubscribersTable;
  confirmation_tokens: ConfirmationTokensTable;
  editions: EditionsTable;
  edition_items: EditionItemsTable;
  edition_contents: EditionContentsTable;
  batches: BatchesTable;
  deliveries: DeliveriesTable;
  provider_events: ProviderEventsTable;
  delivery_events: DeliveryEventsTable;
  web_versions: WebVersionsTable;
  locks: LocksTable;
  drafts: DraftsTable;
  draft_items: DraftItemsTable;
  review_copies: ReviewCopiesTable;
  editor_sign_in_links: EditorSignInLinksTable;
  editor_sessions: EditorSessionsTable;
  votes: VotesTable;
}

export type SubscriberRow = Selectable<SubscribersTable>;
export type NewSubscriber = Insertable<SubscribersTable>;
export type SubscriberUpdate = Updateable<SubscribersTable>;
export type EditionRow = Selectable<EditionsTable>;
export type DeliveryRow = Selectable<DeliveriesTable>;
export type BatchRow = Selectable<BatchesTable>;
export type DraftRow = Selectable<DraftsTable>;
